package io.github.afterresponse.it;

import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.ContextPropagator;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * A propagator named in the {@code context-propagators} init-param carries what a filter outside
 * the toolkit put on the request thread (a tenant id, as a servlet filter of a multi-tenant
 * application sets it) to the task and the callback, on whichever thread runs them; and what it
 * carried is gone from the container's threads afterwards: a later request finds nothing of it
 * when it enters the outer filter on a thread that ran a task before.
 */
class ContextPropagationIT {

    static final ThreadLocal<String> TENANT = new ThreadLocal<>();

    /** What the init-param names: public, with a public no-argument constructor. */
    public static final class TenantPropagator implements ContextPropagator {
        private final ContextPropagator delegate = ContextPropagator.threadLocal(TENANT);

        @Override
        public Snapshot capture() {
            return delegate.capture();
        }
    }

    /** Sets the tenant of the X-Tenant header for the request, as such filters do, and records what it found. */
    static Filter tenantFilter(List<String> foundOnEntry) {
        return (request, response, chain) -> {
            foundOnEntry.add(Objects.toString(TENANT.get()));
            String tenant = ((HttpServletRequest) request).getHeader("X-Tenant");
            if (tenant != null) {
                TENANT.set(tenant);
            }
            try {
                chain.doFilter(request, response);
            } finally {
                TENANT.remove();
            }
        };
    }

    @EveryContainer
    void theTaskAndTheCallbackSeeTheRequestsTenantAndTheThreadsKeepNoneOfIt(Container container) throws Exception {
        List<String> foundOnEntry = new CopyOnWriteArrayList<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        Deployment app = Deployment.on(container, Map.of("context-propagators", TenantPropagator.class.getName()))
                .before(tenantFilter(foundOnEntry))
                .servlet("/work", (request, response) -> {
                    // The task runs after the outer filter removed the tenant from the request
                    // thread, or on another thread: either way only the propagator can give it.
                    AfterResponse.of(request)
                            .then(task -> seen.add("task " + TENANT.get()))
                            .onComplete(completion -> seen.add("callback " + TENANT.get()));
                    response.getWriter().print("queued for " + TENANT.get());
                });
        try (app) {
            app.start();
            int requests = 20;
            for (int i = 0; i < requests; i++) {
                String tenant = "tenant-" + i;
                try (var connection = app.open()) {
                    RawResponse response = connection.send(Deployment.request("GET", "/work", "X-Tenant: " + tenant))
                            .readResponse(TIMEOUT);
                    assertThat(response.bodyText(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("queued for " + tenant);
                }
                int done = i + 1;
                Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == done);
                assertThat(seen).as("exchange %d on %s", i, container)
                        .endsWith("task " + tenant, "callback " + tenant);
            }
            assertThat(foundOnEntry).as("what requests found on their thread as they entered, on %s", container)
                    .hasSize(requests).containsOnly("null");
        }
    }

    @EveryContainer
    void aRequestWithoutATenantGivesItsTaskNone(Container container) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Deployment app = Deployment.on(container, Map.of("context-propagators", TenantPropagator.class.getName()))
                .before(tenantFilter(new CopyOnWriteArrayList<>()))
                .servlet("/work", (request, response) -> AfterResponse.of(request)
                        .then(task -> seen.add("task " + TENANT.get())));
        try (app) {
            app.start();
            try (var connection = app.open()) {
                connection.send(Deployment.request("GET", "/work", "X-Tenant: first")).readResponse(TIMEOUT);
            }
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
            app.get("/work");
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 2);
        }
        assertThat(seen).containsExactly("task first", "task null");
    }
}
