package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.ClientAbortedException;
import io.github.afterresponse.Completion;
import io.github.afterresponse.CompletionCallback;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.Task;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs one filter's requests: admits or refuses each, wraps it, lets the servlet run, sends the
 * buffered response, then hands the tasks to the scheduler. Owns what lives as long as the filter:
 * scheduler, executor, timer, monitor and JMX view. The filter's {@code doFilter} is a thin shell
 * around {@link #handle}.
 */
public final class ExchangeHandler {

    private static final System.Logger LOG = Log.LOGGER;

    private final AfterResponseConfig config;
    private final CompletionCallback filterCallback;
    private final TaskIds ids = new TaskIds();
    private final Clock clock;
    private final ServletPolicies policies;
    private final WorkScheduler scheduler;
    private final FilterMonitor monitor;
    private final Refusal refusal;
    private final @Nullable ClassLoader loader;
    private final Set<String> warnedServlets = ConcurrentHashMap.newKeySet();
    private MBeanRegistration mbean = MBeanRegistration.none();

    private ExchangeHandler(AfterResponseConfig config, CompletionCallback filterCallback, Clock clock,
            ServletPolicies policies, String filterName, @Nullable ClassLoader loader) {
        this.config = config;
        this.filterCallback = filterCallback;
        this.clock = clock;
        this.policies = policies;
        this.loader = loader;
        this.scheduler = new WorkScheduler(config.maxRunning(), config.queueCapacity(),
                WorkExecutors.create(config, filterName), new TimeLimits(filterName));
        this.monitor = new FilterMonitor(filterName, scheduler);
        this.refusal = new Refusal(config.retryAfter());
    }

    /**
     * Starts a filter's handling in its servlet context: reads the servlets' policies, starts the
     * executor and timer, publishes the monitor and registers the JMX view.
     *
     * @param filterCallback called after each exchange's own callbacks (the filter's hook)
     * @throws IllegalArgumentException naming the setting and its value, for a bad servlet annotation
     *     or an executor that cannot be found
     */
    public static ExchangeHandler start(AfterResponseConfig config, ServletContext context, String filterName,
            CompletionCallback filterCallback, Clock clock) {
        ServletPolicies policies = ServletPolicies.read(config, context);
        ClassLoader loader = context.getClassLoader();
        ExchangeHandler handler = new ExchangeHandler(config, filterCallback, clock, policies, filterName,
                loader != null ? loader : Thread.currentThread().getContextClassLoader());
        context.setAttribute(AfterResponseMonitor.attributeName(filterName), handler.monitor);
        if (config.jmx()) {
            handler.mbean = MBeanRegistration.register(context.getContextPath(), filterName, handler.monitor, config);
        }
        LOG.log(Level.INFO, "After Response filter ''{0}'' runs background work on {1}", filterName,
                handler.scheduler.executor().describe());
        return handler;
    }

    /**
     * Stops: refuses new requests, lets running work end within the grace period, interrupts the
     * rest, and ends every exchange; then stops the threads it owns. Blocks for at most the grace
     * period plus a few seconds.
     */
    public void stop(ServletContext context, String filterName) {
        try {
            scheduler.shutdown(config.shutdownGrace());
        } finally {
            scheduler.timeLimits().shutdown();
            scheduler.executor().shutdown();
            mbean.unregister();
            context.removeAttribute(AfterResponseMonitor.attributeName(filterName));
        }
    }

    public AfterResponseMonitor monitor() {
        return monitor;
    }

    /** Whether the request is already in the hands of an After Response filter (a repeated mapping). */
    public static boolean isHandled(HttpServletRequest request) {
        return Exchanges.isHandled(request);
    }

    public void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ServletPolicies.Policy policy = policies.forRequest(request);
        if (!scheduler.admit()) {
            refuse(response);
            return;
        }
        monitor.countAccepted();
        Exchange exchange = new Exchange(ids.next(), clock, this::ended, policy.abortPolicy(), policy.timeLimit());
        Exchanges.attach(request, exchange);
        boolean closeConnection = config.connectionClose() && isHttp1(request);
        AtomicReference<GuardedRequest> servletSide = new AtomicReference<>();
        BufferingResponse buffered = new BufferingResponse(response, exchange, config.bufferLimit(),
                () -> servletSide.get().isInForeignForward());
        exchange.setStreamSwitch(buffered.output()::startStreaming);
        GuardedRequest guarded = new GuardedRequest(request, exchange, buffered,
                async -> handOverToOwnAsync(exchange, buffered, async));
        servletSide.set(guarded);
        exchange.enterForeground();
        try {
            chain.doFilter(guarded, buffered);
        } catch (ClientAbortedException e) {
            // The servlet's write found the client gone under the cancel policy: like PHP, the
            // script ends there. Nobody is left to see an error page.
            exchange.finish(Outcome.CANCELLED, e);
            return;
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

    /** Refused before the servlet ran: the admission limit is reached, or the filter is stopping. */
    private void refuse(HttpServletResponse response) throws IOException {
        Exchange refused = new Exchange(ids.next(), clock, this::ended);
        refused.reject();
        LOG.log(Level.DEBUG, () -> "After Response: refused " + refused.taskId() + " (" + monitor + ")");
        // Counted before the 503 leaves, so a client that saw it also sees it in the monitor.
        refused.finish(Outcome.REJECTED, null);
        refusal.send(response);
    }

    /** Every exchange's last callback: the counters, the filter's hook, then its place is free. */
    private void ended(Completion completion) throws Exception {
        monitor.ended(completion);
        try {
            filterCallback.onComplete(completion);
        } finally {
            if (completion.outcome() != Outcome.REJECTED) {
                scheduler.release();
            }
        }
    }

    private void respond(HttpServletRequest request, BufferingResponse buffered, Exchange exchange,
            boolean closeConnection) throws IOException {
        boolean background = exchange.hasTasks();
        boolean keepOpen = background && exchange.keepsOpen();
        // Taken before the response is sent, while the request is certainly live; it may read a
        // form body the servlet left unread.
        RequestSnapshot snapshot = background ? snapshot(request) : null;
        try {
            ResponseSender.send(buffered, "HEAD".equals(request.getMethod()), background && !keepOpen,
                    closeConnection && background && !keepOpen);
        } catch (ClientAbortedException | IOException e) {
            clientGone(exchange, e);
            return;
        }
        Charset charset = charsetOf(buffered.real());
        List<Task> tasks = keepOpen ? exchange.servletReturnedStreaming(snapshot) : exchange.responded(snapshot);
        if (exchange.needsSnapshot()) {
            // A task registered by another thread of the servlet's after the check above: the
            // request is still live, since the exchange has not been completed yet.
            exchange.snapshot(snapshot(request));
        }
        if (tasks.isEmpty()) {
            exchange.finish(Outcome.COMPLETED, null);
            return;
        }
        launch(request, buffered, exchange, tasks, keepOpen, charset);
    }

    /**
     * Hands the tasks to the scheduler, with the exchange's asynchronous context when the executor
     * needs one to reach a container thread, or to keep a streamed response open.
     */
    private void launch(HttpServletRequest request, BufferingResponse buffered, Exchange exchange, List<Task> tasks,
            boolean keepOpen, Charset charset) {
        ClientChannel open = keepOpen ? buffered.output().channel() : null;
        if (!keepOpen && !scheduler.executor().needsAsync()) {
            scheduler.submit(new BackgroundJob(exchange, tasks, null, null, charset, scheduler, loader));
            return;
        }
        AsyncContext async = startAsync(request, buffered, exchange);
        BackgroundJob job = new BackgroundJob(exchange, tasks, async, open, charset, scheduler, loader);
        if (async == null) {
            scheduler.runHere(job);
            return;
        }
        async.addListener(job);
        scheduler.submit(job);
    }

    /**
     * The exchange's asynchronous context with the container's timeout off, or null where there is
     * none to be had: then the work runs on the request thread.
     */
    private @Nullable AsyncContext startAsync(HttpServletRequest request, BufferingResponse buffered,
            Exchange exchange) {
        if (!request.isAsyncSupported()) {
            warnNotAsync(request);
            return null;
        }
        try {
            AsyncContext async = request.startAsync(request, buffered.real());
            // The container's async timeout (30 s everywhere) would answer 500 and does not stop
            // the worker (DESIGN fact 6): switch it off; the time limit is the toolkit's own.
            async.setTimeout(0);
            return async;
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "After Response: startAsync failed; the background work of exchange "
                    + exchange.taskId() + " runs on the request thread instead", e);
            return null;
        }
    }

    private static Charset charsetOf(HttpServletResponse response) {
        try {
            return Charset.forName(response.getCharacterEncoding());
        } catch (IllegalArgumentException e) {
            return java.nio.charset.StandardCharsets.UTF_8; // an encoding the JVM lacks; the tasks' text still goes out
        }
    }

    private void warnNotAsync(HttpServletRequest request) {
        String servlet = request.getHttpServletMapping().getServletName();
        if (warnedServlets.add(String.valueOf(servlet))) {
            LOG.log(Level.WARNING, "After Response: servlet ''{0}'' (or a filter before it) does not support "
                    + "asynchronous processing, so its background work runs on the request thread after the "
                    + "response has been flushed, and a response the container finishes itself (sendError, and on "
                    + "Tomcat sendRedirect and forwards) reaches the client only when that work ends; declare it "
                    + "asyncSupported, or use the dedicated executor", servlet);
        }
    }

    private RequestSnapshot snapshot(HttpServletRequest request) {
        return RequestSnapshot.of(request, config.snapshotAttributes());
    }

    /**
     * The response could not be written: the client went away. Under the cancel policy (PHP's
     * default, {@code ignore_user_abort(false)}) the work that had not started does not run; under
     * continue, the channel dropped the output without throwing, so this is not reached.
     */
    private static void clientGone(Exchange exchange, Exception e) {
        exchange.clientGone(e instanceof IOException io ? io : new IOException(e));
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
