package io.github.afterresponse.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the toolkit logs at WARNING and above while open: its {@code System.Logger} lands in
 * {@code java.util.logging} here, the JDK's default.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.github.afterresponse");
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture() {
        setLevel(Level.WARNING);
        logger.addHandler(this);
    }

    /** The messages logged at WARNING and above that contain {@code text}. */
    List<String> warningsContaining(String text) {
        return records.stream()
                .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters() == null
                        ? new Object[0] : r.getParameters()))
                .filter(m -> m.contains(text))
                .toList();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
