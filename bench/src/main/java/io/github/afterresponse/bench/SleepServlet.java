package io.github.afterresponse.bench;

import io.github.afterresponse.AfterResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * The servlet behind every work path of the {@link SweepServer}: answers the same 200-byte text and
 * does W milliseconds of "work" (a sleep; W from the query parameter {@code w}, 0 when absent) in
 * one of four ways. A sleep stands for work that waits on something else (a mail server, another
 * service): it holds a thread, not a CPU.
 */
final class SleepServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The body every path answers: 200 bytes of ASCII. */
    static final byte[] BODY = LoadServer.BODY;

    /** How the work is done. */
    enum Mode {
        /** Sleeps W in the request, then answers: the synchronous baseline. */
        SYNC,
        /** Answers, and hands the sleep to its own executor: the hand-rolled servlet. */
        HANDROLLED,
        /** Answers, and registers the sleep with {@code AfterResponse.of(request).then(…)}. */
        TASK,
        /** No work; answers with {@code Connection: close}: what a new connection per request costs. */
        CLOSE,
        /**
         * No toolkit: answers, starts asynchronous processing, and runs the sleep through
         * {@code AsyncContext.start}, completing the asynchronous context when the started runnable
         * begins — what {@code executor=container} does for a response sent whole.
         */
        ASYNC_START,
        /**
         * As {@link #ASYNC_START}, but completes the asynchronous context on the request thread right
         * after {@code AsyncContext.start} returned, without waiting for the runnable to begin.
         */
        ASYNC_START_COMPLETE
    }

    private final Mode mode;
    private final transient Probe probe;
    private final transient Executor handRolled; // HANDROLLED only

    SleepServlet(Mode mode, Probe probe, Executor handRolled) {
        this.mode = mode;
        this.probe = probe;
        this.handRolled = handRolled;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Probe.Connection connection = probe.tracesGaps() ? probe.entered(request.getRemotePort(), System.nanoTime()) : null;
        long sequence = connection == null ? 0 : connection.sequence;
        try {
            long w = workMillis(request.getQueryString());
            if (mode == Mode.SYNC && w > 0) {
                sleep(w);
            }
            response.setContentType("text/plain");
            response.setContentLength(BODY.length);
            if (mode == Mode.CLOSE) {
                response.setHeader("Connection", "close");
            }
            response.getOutputStream().write(BODY);
            if (mode == Mode.HANDROLLED) {
                long registered = System.nanoTime();
                probe.started.increment();
                handRolled.execute(() -> {
                    long now = System.nanoTime();
                    probe.handOff.record(now - registered);
                    Probe.workBegins(connection, sequence, now);
                    try {
                        if (w > 0) {
                            Thread.sleep(w);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // shutting down
                    } finally {
                        probe.runs.increment();
                    }
                });
            } else if (mode == Mode.ASYNC_START || mode == Mode.ASYNC_START_COMPLETE) {
                long registered = System.nanoTime();
                probe.started.increment();
                AsyncContext async = request.startAsync();
                async.setTimeout(0);
                boolean completeFirst = mode == Mode.ASYNC_START_COMPLETE;
                async.start(() -> {
                    long now = System.nanoTime();
                    probe.handOff.record(now - registered);
                    Probe.workBegins(connection, sequence, now);
                    if (!completeFirst) {
                        async.complete(); // the container may now finish the exchange and read the next request
                        probe.completeCall.record(System.nanoTime() - now);
                    }
                    try {
                        if (w > 0) {
                            Thread.sleep(w);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        probe.runs.increment();
                    }
                });
                if (completeFirst) {
                    async.complete();
                }
            } else if (mode == Mode.TASK) {
                long registered = System.nanoTime();
                probe.started.increment();
                AfterResponse.of(request)
                        .then(task -> {
                            long now = System.nanoTime();
                    probe.handOff.record(now - registered);
                    Probe.workBegins(connection, sequence, now);
                            try {
                                if (w > 0) {
                                    Thread.sleep(w);
                                }
                            } finally {
                                probe.runs.increment();
                            }
                        })
                        .onComplete(done -> probe.callbacks.increment());
            }
        } finally {
            Probe.exited(connection);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sleeping", e);
        }
    }

    /**
     * W from a query string such as {@code w=50} (other parameters ignored); 0 when absent. Parsed
     * by hand rather than with {@code getParameter}, which would make the container parse (and on
     * some containers also look for a form body) on every request.
     *
     * @throws NumberFormatException if {@code w} is not a non-negative number
     */
    static long workMillis(String query) {
        if (query == null) {
            return 0;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.startsWith("w=")) {
                long w = Long.parseLong(pair.substring(2));
                if (w < 0) {
                    throw new NumberFormatException("w must be >= 0, but was " + w);
                }
                return w;
            }
        }
        return 0;
    }
}
