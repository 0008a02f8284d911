package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.CompletionCallback;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.Task;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs one request through the filter: wraps it, lets the servlet run, sends the buffered
 * response, then starts the tasks. The filter's {@code doFilter} is a thin shell around
 * {@link #handle}.
 */
public final class ExchangeHandler {

    private static final System.Logger LOG = Log.LOGGER;

    private final AfterResponseConfig config;
    private final CompletionCallback filterCallback;
    private final TaskIds ids = new TaskIds();
    private final BackgroundLauncher launcher = new BackgroundLauncher();
    private final Clock clock;

    /**
     * @param filterCallback called after each exchange's own callbacks (the filter's hook)
     */
    public ExchangeHandler(AfterResponseConfig config, CompletionCallback filterCallback, Clock clock) {
        this.config = config;
        this.filterCallback = filterCallback;
        this.clock = clock;
    }

    /** Whether the request is already in the hands of an After Response filter (a repeated mapping). */
    public static boolean isHandled(HttpServletRequest request) {
        return Exchanges.isHandled(request);
    }

    public void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Exchange exchange = new Exchange(ids.next(), clock, filterCallback);
        Exchanges.attach(request, exchange);
        boolean closeConnection = config.connectionClose() && isHttp1(request);
        AtomicReference<GuardedRequest> servletSide = new AtomicReference<>();
        BufferingResponse buffered = new BufferingResponse(response, exchange, config.bufferLimit(),
                () -> servletSide.get().isInForeignForward());
        GuardedRequest guarded = new GuardedRequest(request, exchange, buffered,
                async -> handOverToOwnAsync(exchange, buffered, async));
        servletSide.set(guarded);
        exchange.enterForeground();
        try {
            chain.doFilter(guarded, buffered);
        } catch (Throwable e) {
            // Throwable: Kotlin, Groovy and Lombok's @SneakyThrows throw checked exceptions
            // chain.doFilter does not declare; the callbacks must run for those too.
            buffered.output().discard();
            exchange.finish(Outcome.FAILED, e);
            throw e;
        }
        if (exchange.isOwnAsync()) {
            return; // the exchange ends when the servlet's own asynchronous processing ends
        }
        try {
            if (request.isAsyncStarted()) {
                // The servlet reached past the toolkit's request wrapper to call startAsync. Nothing
                // orders this hand-over with the servlet's own asynchronous thread, which may be
                // writing already; a servlet that needs that calls startAsync on the request it was given.
                handOverToOwnAsync(exchange, buffered, request.getAsyncContext());
            } else {
                buffered.output().endForward();
                respond(request, buffered, exchange, closeConnection);
            }
        } catch (Throwable e) {
            exchange.finish(Outcome.FAILED, e); // the callbacks run on every path, this one too
            throw e;
        }
    }

    private void respond(HttpServletRequest request, BufferingResponse buffered, Exchange exchange,
            boolean closeConnection) throws IOException {
        boolean background = exchange.hasTasks();
        // Taken before the response is sent, while the request is certainly live; it may read a
        // form body the servlet left unread.
        RequestSnapshot snapshot = background ? snapshot(request) : null;
        try {
            ResponseSender.send(buffered, "HEAD".equals(request.getMethod()), background,
                    closeConnection && background);
        } catch (IOException e) {
            clientGone(exchange, e);
            return;
        }
        List<Task> tasks = exchange.responded(snapshot);
        if (exchange.needsSnapshot()) {
            // A task registered by another thread of the servlet's after the check above: the
            // request is still live, since the exchange has not been completed yet.
            exchange.snapshot(snapshot(request));
        }
        if (tasks.isEmpty()) {
            exchange.finish(Outcome.COMPLETED, null);
            return;
        }
        launcher.launch(request, buffered.real(), () -> exchange.runTasks(tasks));
    }

    private RequestSnapshot snapshot(HttpServletRequest request) {
        return RequestSnapshot.of(request, config.snapshotAttributes());
    }

    /**
     * The response could not be written: the client went away. As with PHP's default
     * ({@code ignore_user_abort(false)}), the work that had not started does not run.
     */
    private static void clientGone(Exchange exchange, IOException e) {
        LOG.log(Level.DEBUG, () -> "After Response: client of exchange " + exchange.taskId()
                + " went away before its response was sent: " + e);
        exchange.markAborted();
        exchange.responded(null);
        exchange.finish(Outcome.CANCELLED, e);
    }

    /**
     * The servlet went asynchronous on its own: its output passes straight through from now on and
     * the exchange ends when that asynchronous processing ends.
     */
    private static void handOverToOwnAsync(Exchange exchange, BufferingResponse buffered, AsyncContext async)
            throws IOException {
        exchange.enterOwnAsync();
        buffered.output().passThrough();
        async.addListener(new OwnAsyncListener(exchange));
    }

    private static boolean isHttp1(HttpServletRequest request) {
        // HTTP/2 forbids connection-specific headers; Tomcat 11 would send one anyway (DESIGN fact 2).
        String protocol = request.getProtocol();
        return "HTTP/1.1".equals(protocol) || "HTTP/1.0".equals(protocol);
    }

    /** Ends an exchange whose servlet went asynchronous on its own when that processing ends. */
    private static final class OwnAsyncListener implements AsyncListener {
        private final Exchange exchange;
        private volatile @Nullable Throwable failure;

        OwnAsyncListener(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            Throwable failed = failure;
            exchange.finish(failed == null ? Outcome.COMPLETED : Outcome.FAILED, failed);
        }

        @Override
        public void onError(AsyncEvent event) {
            failure = event.getThrowable();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // The container dispatches to its error handling and then completes: onComplete follows.
            exchange.markTimedOut();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            AsyncContext context = event.getAsyncContext();
            context.addListener(this); // a restarted asynchronous cycle forgets its listeners
        }
    }
}
