package io.github.afterresponse.demo.war;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.CompletionCallback;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The recent exchanges, newest last, at most {@value #CAPACITY}; older ones are forgotten. Every
 * completion is also logged on one line,
 * {@code after-response-demo: exchange <id> <style> <OUTCOME> status <n>}, so that callbacks run
 * during a shutdown can be read from the server's log once the status page is gone. Thread-safe.
 */
public final class ExchangeLog {

    /** How many exchanges are kept. */
    public static final int CAPACITY = 200;

    /** The system property that also sends each completion line to standard output. */
    public static final String STDOUT_PROPERTY = "after-response-demo.stdout";

    private static final String ATTRIBUTE = ExchangeLog.class.getName();
    private static final System.Logger LOG = System.getLogger("io.github.afterresponse.demo.war");

    private final Map<String, ExchangeRecord> records = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExchangeRecord> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Creates the application's log and keeps it in the servlet context. */
    static ExchangeLog install(ServletContext context) {
        ExchangeLog log = new ExchangeLog();
        context.setAttribute(ATTRIBUTE, log);
        return log;
    }

    /**
     * The application's log.
     *
     * @throws NullPointerException if {@link DemoSetup} did not run
     */
    public static ExchangeLog of(ServletContext context) {
        return Objects.requireNonNull((ExchangeLog) context.getAttribute(ATTRIBUTE), "ExchangeLog not installed: DemoSetup did not run");
    }

    /**
     * Records the exchange of a request as its servlet starts, and registers the callback that
     * records and logs how it ended.
     */
    public ExchangeRecord begin(AfterResponse exchange, String style, HttpServletRequest request) {
        ExchangeRecord record = new ExchangeRecord(exchange.exchangeId(), style, request.getRequestURI(),
                Instant.now(), Thread.currentThread().getName());
        synchronized (records) {
            records.put(record.exchangeId(), record);
        }
        exchange.onComplete(callback(record));
        return record;
    }

    private static CompletionCallback callback(ExchangeRecord record) {
        return done -> {
            record.callbackRan(done);
            logLine(done, record.style());
        };
    }

    /**
     * Called by {@link RecordingAfterResponseFilter#afterCompletion}: counts the hook as a callback
     * of the exchange, and records (and logs) an exchange no servlet saw, such as a refusal.
     */
    void filterSaw(String filterName, Completion done) {
        ExchangeRecord record;
        boolean unseen;
        synchronized (records) {
            record = records.get(done.exchangeId());
            unseen = record == null;
            if (unseen) {
                record = new ExchangeRecord(done.exchangeId(), "filter-only", "", done.acceptedAt(), "");
                records.put(done.exchangeId(), record);
            }
        }
        record.filter(filterName);
        record.callbackRan(done);
        if (unseen) {
            logLine(done, record.style());
        }
    }

    private static void logLine(Completion done, String style) {
        String line = "after-response-demo: exchange " + done.exchangeId() + " " + style + " "
                + done.outcome() + " status " + done.status().value();
        LOG.log(Level.INFO, line);
        if (Boolean.getBoolean(STDOUT_PROPERTY)) {
            System.out.println(line);
        }
    }

    /** The recorded exchanges, oldest first. */
    public List<ExchangeRecord> recent() {
        synchronized (records) {
            return Collections.unmodifiableList(new ArrayList<>(records.values()));
        }
    }
}
