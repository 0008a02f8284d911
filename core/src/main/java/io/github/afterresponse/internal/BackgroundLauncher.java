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

    private static final System.Logger LOG = System.getLogger("io.github.afterresponse");

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
        // The container's async timeout (30 s everywhere) would answer 500 and does not stop the
        // worker (DESIGN fact 6): switch it off; the exchange is completed at once anyway.
        async.setTimeout(0);
        Completer completer = new Completer(async);
        async.addListener(completer);
        try {
            async.start(() -> {
                try {
                    completer.complete();
                } finally {
                    work.run();
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "After Response: AsyncContext.start refused the background work; it runs on "
                    + "the request thread instead", e);
            completer.complete();
            work.run();
        }
    }

    private void warnNotAsync(HttpServletRequest request) {
        String servlet = request.getHttpServletMapping().getServletName();
        if (warnedServlets.add(servlet)) {
            LOG.log(Level.WARNING, "After Response: servlet ''{0}'' (or a filter before it) does not support "
                    + "asynchronous processing, so its background work runs on the request thread after the "
                    + "response has been flushed; declare it asyncSupported to free the request thread", servlet);
        }
    }

    /**
     * Completes the exchange once. {@code complete()} must be idempotent: Tomcat completes by itself
     * after {@code onError}, and an error and the worker can race (DESIGN fact 8).
     */
    private static final class Completer implements AsyncListener {
        private final AsyncContext async;
        private final AtomicBoolean completed = new AtomicBoolean();

        Completer(AsyncContext async) {
            this.async = async;
        }

        void complete() {
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
