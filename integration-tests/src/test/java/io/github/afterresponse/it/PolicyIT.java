package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.ContinueAfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.ServerStartException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link ContinueAfterResponse} on a servlet class replaces the filter's settings for that servlet
 * only: an annotated servlet's work gets its time limit and is cut short by it, while an
 * unannotated servlet of the same application keeps the filter's (none). An invalid value stops
 * start-up, naming the servlet, the attribute and the value. The servlets are registered as
 * instances, so the filter must learn their class from {@code ServletRegistration.getClassName()}.
 */
class PolicyIT {

    /** What one exchange's task saw and how the exchange ended. */
    static final class Sightings {
        final CompletableFuture<Optional<Instant>> deadline = new CompletableFuture<>();
        final AtomicReference<Completion> completion = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);

        void registerOn(AfterResponse exchange, Work work) {
            exchange.then(context -> {
                        deadline.complete(context.deadline());
                        work.run();
                    })
                    .onComplete(c -> {
                        completion.set(c);
                        done.countDown();
                    });
        }

        /** The work of the task, after it noted its deadline. */
        interface Work {
            void run() throws Exception;
        }
    }

    /** Its background work may take 200 ms; it takes 30 s. */
    @ContinueAfterResponse(timeLimit = "200ms")
    static final class QuickServlet extends HttpServlet {
        private final Sightings sightings;

        QuickServlet(Sightings sightings) {
            this.sightings = sightings;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            sightings.registerOn(AfterResponse.of(request), () -> Thread.sleep(30_000));
            response.getWriter().print("quick");
        }
    }

    /** Not annotated: the filter's settings apply. */
    static final class PlainServlet extends HttpServlet {
        private final Sightings sightings;

        PlainServlet(Sightings sightings) {
            this.sightings = sightings;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            sightings.registerOn(AfterResponse.of(request), () -> { });
            response.getWriter().print("plain");
        }
    }

    /** An abort policy that does not exist. */
    @ContinueAfterResponse(abortPolicy = "sometimes")
    static final class UndecidedServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().print("undecided");
        }
    }

    @EveryContainer
    void annotatedServletGetsItsTimeLimitAndTheOthersKeepTheFilters(Container container) throws Exception {
        Sightings quick = new Sightings();
        Sightings plain = new Sightings();
        Deployment app = Deployment.on(container)
                .servlet("/quick", () -> new QuickServlet(quick), true)
                .servlet("/plain", () -> new PlainServlet(plain), true);
        try (app) {
            app.start();
            Instant sent = Instant.now();
            assertThat(app.get("/quick").statusCode()).isEqualTo(200);
            assertThat(app.get("/plain").statusCode()).isEqualTo(200);

            Optional<Instant> quickDeadline = quick.deadline.get(10, TimeUnit.SECONDS);
            assertThat(quickDeadline).as("the annotated servlet's deadline").isPresent();
            assertThat(quickDeadline.get()).isBetween(sent, Instant.now().plus(Duration.ofMillis(200)));
            assertThat(plain.deadline.get(10, TimeUnit.SECONDS)).as("the unannotated servlet's deadline").isEmpty();

            await(quick.done, "the annotated servlet's work to be cut short by its 200 ms limit");
            await(plain.done, "the unannotated servlet's work");
        }
        assertThat(quick.completion.get()).satisfies(c -> {
            assertThat(c.status()).isEqualTo(ConnectionStatus.TIMEOUT);
            assertThat(c.outcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(c.backgroundTime()).isLessThan(Duration.ofSeconds(10));
        });
        assertThat(plain.completion.get()).satisfies(c -> {
            assertThat(c.status()).isEqualTo(ConnectionStatus.NORMAL);
            assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED);
        });
    }

    @EveryContainer
    void invalidAnnotationStopsStartUpNamingServletAttributeAndValue(Container container) throws Exception {
        Deployment app = Deployment.on(container)
                .servlet("/undecided", UndecidedServlet::new, true)
                .servlet("/plain", () -> new PlainServlet(new Sightings()), true);
        try (app) {
            assertThatThrownBy(app::start)
                    .isInstanceOf(ServerStartException.class)
                    .satisfies(e -> assertThat(messages(e)).anySatisfy(message -> assertThat(message)
                            .contains("After Response filter 'afterResponse' cannot start")
                            .contains("servlet '/undecided'")
                            .contains(UndecidedServlet.class.getName())
                            .contains("abortPolicy must be cancel or continue, but was 'sometimes'")));
        }
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }
}
