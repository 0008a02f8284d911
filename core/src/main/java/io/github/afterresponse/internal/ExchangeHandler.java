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
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final ExchangeIds ids = new ExchangeIds();
    private final Clock clock;
    private final ServletPolicies policies;
    private final WorkScheduler scheduler;
    private final FilterMonitor monitor;
    private final Refusal refusal;
    private final ContextPropagation propagation;
    private final Set<String> warnedServlets = ConcurrentHashMap.newKeySet();
    private final LogOnce committedAhead = new LogOnce();
    private final LogOnce unreadableParameters = new LogOnce();
    private final SelfCheck selfCheck;
    private MBeanRegistration mbean = MBeanRegistration.none();

    private ExchangeHandler(AfterResponseConfig config, CompletionCallback filterCallback, Clock clock,
            ServletPolicies policies, String filterName, ContextPropagation propagation) {
        this.config = config;
        this.filterCallback = filterCallback;
        this.clock = clock;
        this.policies = policies;
        this.propagation = propagation;
        this.selfCheck = new SelfCheck(filterName);
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
        ContextPropagation propagation = ContextPropagation.of(config,
                loader != null ? loader : Thread.currentThread().getContextClassLoader());
        ExchangeHandler handler = new ExchangeHandler(config, filterCallback, clock, policies, filterName, propagation);
        context.setAttribute(AfterResponseMonitor.attributeName(filterName), handler.monitor);
        if (config.jmx()) {
            handler.mbean = MBeanRegistration.register(context.getContextPath(), filterName, handler.monitor, config);
        }
        LOG.log(Level.INFO, "After Response filter ''{0}'' runs background work on {1}, carrying the request "
                + "thread''s context through {2}", filterName, handler.scheduler.executor().describe(),
                propagation.describe());
        return handler;
    }

    /**
     * Stops: refuses new requests, lets running work end within the grace period, interrupts the
     * rest, and ends every exchange; then stops the threads it owns. Blocks for at most the grace
     * period plus a few seconds.
     */
    public void stop(ServletContext context, String filterName) {
        long shutDownBefore = monitor.shutDown();
        try {
            scheduler.shutdown(config.shutdownGrace());
        } finally {
            scheduler.timeLimits().shutdown();
            scheduler.executor().shutdown();
            mbean.unregister();
            context.removeAttribute(AfterResponseMonitor.attributeName(filterName));
            long cutShort = monitor.shutDown() - shutDownBefore;
            LOG.log(cutShort > 0 ? Level.WARNING : Level.INFO, "After Response filter ''{0}'' stopped; {1} "
                    + "exchanges were cut short by the shutdown ({2})", filterName, cutShort, monitor);
        }
    }

    public AfterResponseMonitor monitor() {
        return monitor;
    }

    /** Whether the request's servlet carries {@code @ContinueAfterResponse}. */
    public boolean isAnnotated(HttpServletRequest request) {
        return policies.isAnnotated(request);
    }

    /** Whether the request is already in the hands of an After Response filter (a repeated mapping). */
    public static boolean isHandled(HttpServletRequest request) {
        return Exchanges.isHandled(request);
    }

    /**
     * One request, from admission to the hand-over of its tasks. The exchange ends here, in one
     * place, unless its tasks were handed to the scheduler or the servlet went asynchronous on its
     * own: then they end it.
     */
    public void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ServletPolicies.Policy policy = policies.forRequest(request);
        if (!scheduler.admit()) {
            refuse(response);
            return;
        }
        monitor.countAccepted();
        Exchange exchange = new Exchange(ids.next(), clock, this::ended, policy.abortPolicy(), policy.timeLimit());
        BufferingResponse buffered = new BufferingResponse(response, exchange, policy.bufferLimit(), committedAhead);
        FinishEarly finishing = new FinishEarly(this, request, buffered, exchange, policy);
        ExchangeFacade facade = new ExchangeFacade(exchange, buffered.output(), finishing);
        GuardedRequest guarded = new GuardedRequest(request, facade, buffered,
                async -> handOverToOwnAsync(exchange, buffered, async));
        finishing.guarded(guarded);
        buffered.output().watchForwardsOn(guarded);
        Exchanges.attach(request, facade);
        exchange.enterForeground();
        Ended ended = null;
        try {
            try {
                chain.doFilter(guarded, buffered);
            } catch (Throwable e) {
                if (finishing.begun()) {
                    // The client has its answer; the exception is the work's failure, not the request's.
                    finishing.servletReturned(e);
                    return;
                }
                throw e;
            }
            if (finishing.begun()) {
                finishing.servletReturned(null);
                return;
            }
            ClientAbortedException finishFailed = finishing.sendFailure();
            // The servlet caught what finish() threw and returned: its response is gone already.
            ended = finishFailed != null ? new Ended(Outcome.CANCELLED, finishFailed)
                    : afterServlet(request, guarded, buffered, exchange, policy);
        } catch (ClientAbortedException e) {
            // A write found the client gone under the cancel policy: like PHP, the script ends
            // there. Nobody is left to see an error page.
            ended = new Ended(Outcome.CANCELLED, e);
        } catch (Throwable e) {
            // Throwable: Kotlin, Groovy and Lombok's @SneakyThrows throw checked exceptions
            // chain.doFilter does not declare; the callbacks must run for those too.
            buffered.output().discard();
            ended = new Ended(Outcome.FAILED, e);
            throw e;
        } finally {
            if (ended != null) {
                exchange.finish(ended.outcome(), ended.failure());
            }
            if (!exchange.isOwnAsync()) {
                release(facade, guarded, buffered);
            }
        }
    }

    /**
     * The servlet has returned (after {@code finish()} too): the wrappers and the facade let go of
     * the container's request and response, the buffer and the handler, so that an exchange whose
     * work goes on keeps only what its tasks can use, even where a task captured one of them. A
     * servlet's own asynchronous processing keeps them: its listeners use them until it ends.
     */
    private static void release(ExchangeFacade facade, GuardedRequest guarded, BufferingResponse buffered) {
        facade.release();
        guarded.release();
        buffered.release();
    }

    /** How an exchange that ends in {@link #handle} ended. */
    private record Ended(Outcome outcome, @Nullable Throwable failure) {
    }

    /**
     * The servlet returned: hands over to its own asynchronous processing, or sends the response
     * and launches the tasks.
     *
     * @return how the exchange ended, or null if it goes on (tasks launched, or the servlet's own
     *     asynchronous processing)
     */
    private @Nullable Ended afterServlet(HttpServletRequest request, GuardedRequest guarded,
            BufferingResponse buffered, Exchange exchange, ServletPolicies.Policy policy) throws IOException {
        if (exchange.isOwnAsync()) {
            return null; // the exchange ends when the servlet's own asynchronous processing ends
        }
        if (request.isAsyncStarted()) {
            // The servlet reached past the toolkit's request wrapper to call startAsync. Nothing
            // orders this hand-over with the servlet's own asynchronous thread, which may be
            // writing already; a servlet that needs that calls startAsync on the request it was given.
            handOverToOwnAsync(exchange, buffered, request.getAsyncContext());
            return null;
        }
        buffered.output().endForward();
        return respond(request, guarded, buffered, exchange, policy);
    }

    /** The 503 of a stopped filter, for requests that still reach it after its stop. */
    public static void refuseStopped(HttpServletResponse response, AfterResponseConfig config) throws IOException {
        new Refusal(config.retryAfter()).send(response);
    }

    /** Refused before the servlet ran: the admission limit is reached, or the filter is stopping. */
    private void refuse(HttpServletResponse response) throws IOException {
        Exchange refused = new Exchange(ids.next(), clock, this::ended);
        refused.reject();
        LOG.log(Level.DEBUG, () -> "After Response: refused " + refused.id() + " (" + monitor + ")");
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

    private @Nullable Ended respond(HttpServletRequest request, GuardedRequest guarded, BufferingResponse buffered,
            Exchange exchange, ServletPolicies.Policy policy) {
        boolean background = exchange.hasTasks();
        boolean keepOpen = background && exchange.keepsOpen();
        // Taken before the response is sent, while the request is certainly live; it may read a
        // form body the servlet left unread.
        RequestSnapshot snapshot = background ? snapshot(request) : null;
        try {
            if (background && !keepOpen) {
                sendAndEnd(request, guarded, buffered, policy, false);
            } else {
                buffered.output().send(new Sending("HEAD".equals(request.getMethod()), false, false, () -> { }));
            }
        } catch (ClientAbortedException | IOException e) {
            // The client went away. Under the cancel policy (PHP's default, ignore_user_abort(false))
            // the work that had not started does not run; under continue the channel dropped the
            // output without throwing, so this is not reached.
            exchange.stop().clientGone(e instanceof IOException io ? io : new IOException(e));
            exchange.responded(null);
            return new Ended(Outcome.CANCELLED, e);
        }
        if (background) {
            // After the response has left, so the client does not wait for it; still on the request
            // thread, inside the filter, and before the work is handed over.
            exchange.context(propagation.capture());
        }
        Charset charset = charsetOf(buffered.real());
        List<Task> tasks = keepOpen ? exchange.servletReturnedStreaming(snapshot) : exchange.responded(snapshot);
        if (exchange.needsSnapshot()) {
            // A task registered by another thread of the servlet's after the check above: the
            // request is still live, since the exchange has not been completed yet.
            exchange.snapshot(snapshot(request));
            exchange.context(propagation.capture());
        }
        if (tasks.isEmpty()) {
            return new Ended(Outcome.COMPLETED, null);
        }
        launch(request, buffered, exchange, tasks, keepOpen, charset);
        return null;
    }

    /**
     * Sends the response whole and ends its body now, because background work follows: with
     * {@code Connection: close} on HTTP/1.x where the settings ask for it, and the self-check that
     * no wrapper outside the filter held it back.
     */
    void sendAndEnd(HttpServletRequest request, GuardedRequest guarded, BufferingResponse buffered,
            ServletPolicies.Policy policy, boolean threadHeld) throws IOException {
        // When the request thread stays with the servlet (finish()), a kept-alive connection would
        // hold the client's next request until the servlet returns: close it whatever the
        // settings, and whether or not the client waits for 100 Continue.
        boolean waitsForContinue = awaitsContinue(request, guarded);
        boolean closeConnection = isHttp1(request)
                && (threadHeld || policy.connectionClose() && !waitsForContinue);
        // A client that waits for 100 Continue has not sent its body, so there is nothing to
        // drain, and asking for it would make the response wait for the upload (Tomcat, which
        // answered 100 at once, swallows what comes on the request thread itself).
        Runnable beforeClose = waitsForContinue ? () -> { } : () -> UnreadBody.drain(request, UnreadBody.LIMIT);
        boolean containerFinishes = buffered.output().isFinishedByContainer();
        buffered.output().send(new Sending("HEAD".equals(request.getMethod()), true, closeConnection, beforeClose));
        if (!containerFinishes) {
            selfCheck.outerHold(request, buffered.real(), threadHeld);
        }
    }

    /** The checks that the response really left early, and their warnings. */
    SelfCheck selfCheck() {
        return selfCheck;
    }

    /** Begins the work of a servlet that called {@code finish()}: it runs on, on the request thread. */
    BackgroundJob lendRequestThread(Exchange exchange, List<Task> tasks, Charset charset) {
        // Its tasks run here, on the thread that has the context; its callbacks may not: a stop
        // that finds the servlet still running after the grace ends it on the destroying thread.
        exchange.context(propagation.capture());
        BackgroundJob job = new BackgroundJob(exchange, tasks, null, null, charset, scheduler);
        scheduler.lend(job);
        return job;
    }

    /** The work of a servlet that called {@code finish()} has ended. */
    void giveBack(BackgroundJob job) {
        scheduler.giveBack(job);
    }

    /**
     * Hands the tasks to the scheduler, with the exchange's asynchronous context when the executor
     * needs one to reach a container thread, or to keep a streamed response open. The job gets the
     * client channel of a response kept open, and nothing else of the response.
     */
    private void launch(HttpServletRequest request, BufferingResponse buffered, Exchange exchange, List<Task> tasks,
            boolean keepOpen, Charset charset) {
        ClientChannel open = keepOpen ? buffered.output().channel() : null;
        if (!keepOpen && !scheduler.executor().needsAsync()) {
            scheduler.submit(new BackgroundJob(exchange, tasks, null, null, charset, scheduler));
            return;
        }
        AsyncContext async = startAsync(request, buffered, exchange);
        BackgroundJob job = new BackgroundJob(exchange, tasks, async, open, charset, scheduler);
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
            // the worker: switch it off; the time limit is the toolkit's own.
            async.setTimeout(0);
            return async;
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "After Response: startAsync failed; the background work of exchange "
                    + exchange.id() + " runs on the request thread instead", e);
            return null;
        }
    }

    static Charset charsetOf(HttpServletResponse response) {
        try {
            return Charset.forName(response.getCharacterEncoding());
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8; // an encoding the JVM lacks; the tasks' text still goes out
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

    RequestSnapshot snapshot(HttpServletRequest request) {
        RequestSnapshot snapshot = RequestSnapshot.of(request, config.snapshotAttributes(),
                config.snapshotSessionAttributes());
        snapshot.parameterError().ifPresent(error -> unreadableParameters.log(() -> "After Response: the container "
                + "could not read the parameters of " + snapshot.method() + " " + snapshot.requestUri() + " (" + error
                + "); its tasks get the query parameters that could be decoded, and none from a form body"));
        return snapshot;
    }

    /**
     * The servlet went asynchronous on its own: its output passes straight through from now on and
     * the exchange ends when that asynchronous processing ends. The listener that ends it is added
     * before the output is passed on, so that if passing it on fails (a client gone), the exchange
     * still ends with the processing and frees its place.
     */
    private void handOverToOwnAsync(Exchange exchange, BufferingResponse buffered, AsyncContext async)
            throws IOException {
        // Its callbacks run on the container thread that ends that processing.
        exchange.context(propagation.capture());
        exchange.enterOwnAsync();
        async.addListener(new OwnAsyncListener(exchange));
        buffered.output().passThrough();
    }

    /**
     * Whether the client asked to be told before it sends its body (Expect: 100-continue) and the
     * servlet never asked for it. Whether it has sent it depends on the container (Tomcat answers
     * 100 at once, Jetty and Undertow only when the body is read), so the response leaves as it
     * would without the filter: no Connection: close, and no drain that would ask for a body
     * nobody wants; the container deals with the connection as usual.
     */
    private static boolean awaitsContinue(HttpServletRequest request, GuardedRequest guarded) {
        return !guarded.isBodyTouched() && "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
    }

    static boolean isHttp1(HttpServletRequest request) {
        // HTTP/2 forbids connection-specific headers; Tomcat 11 sends Connection: close inside
        // HTTP/2 headers anyway, and strict clients (curl, Jetty's client) then fail the stream.
        String protocol = request.getProtocol();
        return "HTTP/1.1".equals(protocol) || "HTTP/1.0".equals(protocol);
    }
}
