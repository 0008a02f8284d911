package io.github.afterresponse.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Review: a request the filter's {@code shouldNotFilter} excludes "bypasses the toolkit entirely"
 * while the filter runs and while it stops; once it has stopped, the new 503 path refuses it too,
 * before {@code shouldNotFilter} is asked (a health check excluded from the filter, say, answers
 * 503 from the After Response filter).
 */
class StoppedFilterReviewIT {

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
