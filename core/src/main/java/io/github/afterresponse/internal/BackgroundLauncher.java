package io.github.afterresponse.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the background work once the response has been sent: on a container thread through
 * {@link AsyncContext#start}, after completing the exchange so the container finishes the response
 * (and, with {@code Connection: close}, the connection) while the work runs. Where asynchronous
 * processing is not available, the work runs on the request thread after the response was flushed.
 */
final class BackgroundLauncher {

    private static final System.Logger LOG = Log.LOGGER;

    private final Set<String> warnedServlets = ConcurrentHashMap.newKeySet();

    void launch(HttpServletRequest request, HttpServletResponse response, Runnable work) {
        if (!request.isAsyncSupported()) {
            warnNotAsync(request);
            work.run();
            return;
        }
        AsyncContext async;
        try {
            async = request.startAsync(request, response);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "After Response: startAsync failed; the background work runs on the request "
                    + "thread instead", e);
            work.run();
            return;
        }
        Handoff handoff = new Handoff(async, work);
        try {
            // The container's async timeout (30 s everywhere) would answer 500 and does not stop
            // the worker (DESIGN fact 6): switch it off; the exchange is completed at once anyway.
            async.setTimeout(0);
            async.addListener(handoff);
            async.start(handoff::runStarted);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "After Response: the container refused to run the background work on one of its "
                    + "threads (AsyncContext.start); it runs on the request thread instead", e);
            handoff.runStarted(); // completes the exchange, then runs the work here
        }
    }

    private void warnNotAsync(HttpServletRequest request) {
        String servlet = request.getHttpServletMapping().getServletName();
        if (warnedServlets.add(servlet)) {
            LOG.log(Level.WARNING, "After Response: servlet ''{0}'' (or a filter before it) does not support "
                    + "asynchronous processing, so its background work runs on the request thread after the "
                    + "response has been flushed, and a response the container finishes itself (sendError, and on "
                    + "Tomcat sendRedirect and forwards) reaches the client only when that work ends; declare it "
                    + "asyncSupported", servlet);
        }
    }

    /**
     * Hands the work to exactly one thread and completes the exchange exactly once.
     *
     * <p>Normally the thread {@code AsyncContext.start} chose runs the work. But a container may
     * complete the exchange by itself and drop the started runnable: Jetty does after a
     * {@code sendError}, whose error page it writes as soon as the filter returns, and a runnable
     * that starts after that is discarded with "AsyncContext completed and/or Request lifecycle
     * recycled". Then {@code onComplete} runs the work, so it is never lost. The started runnable
     * claims the work before completing, so {@code onComplete} can only take it when that runnable
     * never ran.
     *
     * <p>{@code complete()} must be idempotent: Tomcat completes by itself after {@code onError},
     * and an error and the worker can race (DESIGN fact 8).
     */
    static final class Handoff implements AsyncListener {
        private final AsyncContext async;
        private final Runnable work;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final AtomicBoolean completed = new AtomicBoolean();

        Handoff(AsyncContext async, Runnable work) {
            this.async = async;
            this.work = work;
        }

        void runStarted() {
            boolean mine = claimed.compareAndSet(false, true);
            try {
                complete();
            } finally {
                if (mine) {
                    work.run();
                }
            }
        }

        private void complete() {
            if (completed.compareAndSet(false, true)) {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    LOG.log(Level.DEBUG, "After Response: the container had completed the exchange already", e);
                } catch (RuntimeException e) {
                    // Undertow throws RejectedExecutionException (wrapped) once its worker shuts down;
                    // the work must still run and its callbacks still fire.
                    LOG.log(Level.WARNING, "After Response: the container could not complete the exchange", e);
                }
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            completed.set(true);
            if (claimed.compareAndSet(false, true)) {
                LOG.log(Level.DEBUG, "After Response: the container completed the exchange before the background "
                        + "work started; it runs on the completing thread");
                work.run();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            complete();
        }

        @Override
        public void onError(AsyncEvent event) {
            complete();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // Not restarted by the toolkit.
        }
    }
}
