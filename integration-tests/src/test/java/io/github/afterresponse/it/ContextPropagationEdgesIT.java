package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.ContextPropagator;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The ContextPropagator wiring end to end on the edge paths: a capture that fails with an Error
 * still lets the task run, and the callback a stop runs for a servlet that called finish() has
 * the request's context.
 */
class ContextPropagationEdgesIT {

    private static final ThreadLocal<String> TENANT = ContextPropagationIT.TENANT;

    /** A propagator whose capture() fails with an Error (an assert, Kotlin's TODO(), a NotImplementedError). */
    public static final class ErrorInCapture implements ContextPropagator {
        @Override
        public Snapshot capture() {
            throw new AssertionError("capture not implemented");
        }
    }

    private static Filter tenantFilter() {
        return ContextPropagationIT.tenantFilter(new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    /**
     * A propagator whose capture() throws an Error is logged and left out: the work still runs,
     * without that context, and the exchange ends COMPLETED (the capture runs after the client
     * had its 200, so an escaping Error would drop the task).
     */
    @EveryContainer
    void aCaptureThatFailsWithAnErrorStillLetsTheTaskRun(Container container) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Deployment app = Deployment.on(container, Map.of("context-propagators", ErrorInCapture.class.getName()))
                .servlet("/work", (request, response) -> {
                    AfterResponse.of(request).then(task -> seen.add("task ran"));
                    response.getWriter().print("ok");
                });
        try (app) {
            app.start();
            RawResponse response = app.get("/work");
            assertThat(response.statusCode()).isEqualTo(200);
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
            assertThat(app.completions.get(0).outcome()).as("outcome on %s", container).isEqualTo(Outcome.COMPLETED);
            assertThat(seen).as("on %s", container).containsExactly("task ran");
        }
    }

    /**
     * CompletionCallback's Javadoc: callbacks of "work cut short by shutdown that ... ignored its
     * interrupt" run on "the thread running the filter's destroy()", "each with the request thread's
     * context restored on that thread". For a servlet that called finish(), nothing is ever captured
     * (FinishEarly/lendRequestThread), so WorkScheduler.shutdown's finish(SHUT_DOWN) runs its callback
     * on the destroy thread with CapturedContext.NONE: no tenant (and not the web application's
     * class loader, which the request thread had).
     */
    @EveryContainer
    void aCallbackOfAFinishedServletRunAtShutdownHasTheRequestsContext(Container container) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch rest = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch callback = new CountDownLatch(1);
        Deployment app = Deployment.on(container, Map.of("context-propagators", ContextPropagationIT.TenantPropagator.class.getName(),
                        "shutdown-grace", "200ms"))
                .before(tenantFilter())
                .servlet("/work", (request, response) -> {
                    AfterResponse exchange = AfterResponse.of(request).onComplete(c -> {
                        seen.add(c.outcome() + " " + TENANT.get());
                        callback.countDown();
                    });
                    response.getWriter().print("ok");
                    exchange.finish();
                    rest.countDown();
                    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (System.nanoTime() < giveUp) {
                        try {
                            if (letGo.await(giveUp - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                                return;
                            }
                        } catch (InterruptedException e) {
                            // ignored: the rest of the servlet carries on
                        }
                    }
                });
        try (app) {
            app.start();
            try (var connection = app.open()) {
                RawResponse response = connection.send(Deployment.request("GET", "/work", "X-Tenant: acme"))
                        .readResponse(TIMEOUT);
                assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("ok");
            }
            await(rest, "the rest of the servlet");
            app.stop();
            await(callback, "the callback at shutdown");
            assertThat(seen).as("on %s", container).containsExactly("SHUT_DOWN acme");
        } finally {
            letGo.countDown();
        }
    }
}
