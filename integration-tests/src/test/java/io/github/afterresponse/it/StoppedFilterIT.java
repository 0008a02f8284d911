package io.github.afterresponse.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request the filter's {@code shouldNotFilter} excludes bypasses the toolkit while the filter
 * runs, while it stops, and after it has stopped: the stopped filter's 503 is only for requests it
 * would have handled (a health check excluded from the filter keeps answering).
 */
class StoppedFilterIT {

    @EveryContainer
    void aRequestTheFilterDoesNotHandleStillPassesAfterItsStop(Container container) throws Exception {
        AtomicInteger healthRuns = new AtomicInteger();
        Deployment app = Deployment.on(container)
                .notFiltering(request -> request.getRequestURI().startsWith("/health"))
                .servlet("/health", (request, response) -> {
                    healthRuns.incrementAndGet();
                    response.getWriter().print("up");
                });
        try (app) {
            app.start();
            assertThat(app.get("/health").statusCode()).isEqualTo(200);
            app.destroyFilter();

            RawResponse after = app.get("/health");

            assertThat(after.statusCode()).as("a request shouldNotFilter excludes, after the filter's stop, on %s",
                    container).isEqualTo(200);
            assertThat(healthRuns).hasValue(2);
        }
    }
}
