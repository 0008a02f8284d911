package io.github.afterresponse.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A warning that is worth seeing once per filter but would repeat with every request: the first
 * at WARNING, the rest at DEBUG. What clients cause (a malformed query) must not flood the log,
 * and neither must a misconfiguration that every request runs into.
 */
final class LogOnce {

    private static final System.Logger LOG = Log.LOGGER;

    private final AtomicBoolean warned = new AtomicBoolean();

    /** Logs the message; the first call at WARNING, saying that more follow at DEBUG. */
    void log(Supplier<String> message) {
        if (warned.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, message.get() + " (logged once; further occurrences are logged at DEBUG)");
        } else {
            LOG.log(Level.DEBUG, message);
        }
    }
}
