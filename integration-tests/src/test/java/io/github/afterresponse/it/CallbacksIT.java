package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * Every callback runs exactly once per exchange, whatever happened, with the right status and
 * outcome. "Exactly once" is counted after the server has stopped, when nothing can run any more.
 */
class CallbacksIT {

    @EveryContainer
    void servletFailureSkipsTheTasksAndReportsTheFailure(Container container) throws Exception {
        AtomicInteger taskRuns = new AtomicInteger();
        List<Completion> seen = new CopyOnWriteArrayList<>();
        Deployment app = Deployment.on(container).servlet("/broken", (request, response) -> {
            response.getWriter().print("half a page");
            AfterResponse.find(request).ifPresent(exchange -> exchange
                    .then(task -> taskRuns.incrementAndGet())
                    .onComplete(seen::add));
            throw new ServletException("template missing");
        });
        try (app) {
            app.start();
            RawResponse bare = RawHttpClient.get(app.startWithoutFilter().port(), "/broken");
            RawResponse response = RawHttpClient.get(app.port(), "/broken");
            assertThat(response.statusCode()).isEqualTo(500).isEqualTo(bare.statusCode());
            assertThat(response.bodyText(StandardCharsets.UTF_8)).doesNotContain("half a page");
            Awaitility.await().atMost(TIMEOUT).until(() -> seen.size() == 1);
        }
        assertThat(taskRuns).hasValue(0);
        assertThat(seen).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(c.status()).isEqualTo(ConnectionStatus.NORMAL);
            assertThat(c.failure()).get().isInstanceOf(ServletException.class)
                    .extracting(Throwable::getMessage).isEqualTo("template missing");
            assertThat(c.respondedAt()).isEmpty();
        });
        assertThat(app.completions).hasSize(1);
    }

    @EveryContainer
    void undeclaredCheckedExceptionFromTheServletStillEndsTheExchange(Container container) throws Exception {
        // What Kotlin, Groovy or Lombok's @SneakyThrows let a servlet throw.
        List<Completion> seen = new CopyOnWriteArrayList<>();
        Deployment app = Deployment.on(container).servlet("/sneaky", () -> new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest request,
                    jakarta.servlet.http.HttpServletResponse response) {
                AfterResponse.of(request).onComplete(seen::add);
                CallbacksIT.<RuntimeException>sneakyThrow(new Exception("checked, undeclared"));
            }
        }, true);
        try (app) {
            app.start();
            assertThat(app.get("/sneaky").statusCode()).isEqualTo(500);
            Awaitility.await().atMost(TIMEOUT).until(() -> seen.size() == 1);
        }
        assertThat(seen.get(0).outcome()).isEqualTo(Outcome.FAILED);
        // Jetty hands the filter the exception itself; Tomcat and Undertow wrap it in a ServletException.
        Throwable failure = seen.get(0).failure().orElseThrow();
        Throwable original = failure.getCause() == null ? failure : failure.getCause();
        assertThat(original).isExactlyInstanceOf(Exception.class).hasMessage("checked, undeclared");
        assertThat(app.completions).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @EveryContainer
    void failingTaskSkipsTheRestAndTheClientNeverNotices(Container container) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger callbackRuns = new AtomicInteger();
        Deployment app = Deployment.on(container).servlet("/send", (request, response) -> {
            response.getWriter().print("sending");
            AfterResponse.of(request)
                    .then(task -> events.add("first"))
                    .then(task -> {
                        throw new IOException("SMTP server refused the connection");
                    })
                    .then(task -> events.add("third"))
                    .onComplete(c -> {
                        callbackRuns.incrementAndGet();
                        events.add(c.outcome() + ": " + c.failure().map(Throwable::getMessage).orElse(""));
                        done.countDown();
                    });
        });
        try (app) {
            app.start();
            RawResponse response = app.get("/send");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("sending");
            await(done, "the callback");
        }
        assertThat(events).containsExactly("first", "FAILED: SMTP server refused the connection");
        assertThat(callbackRuns).hasValue(1);
        assertThat(app.completions).singleElement().satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.FAILED));
    }

    @EveryContainer
    void throwingCallbackDoesNotStopTheOthers(Container container) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Deployment app = Deployment.on(container).servlet("/cb", (request, response) -> AfterResponse.of(request)
                .then(task -> events.add("task"))
                .onComplete(c -> {
                    events.add("first callback");
                    throw new IllegalStateException("callback bug");
                })
                .onComplete(c -> events.add("second callback")));
        try (app) {
            app.start();
            app.get("/cb");
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
        }
        assertThat(events).containsExactly("task", "first callback", "second callback");
    }

    @EveryContainer
    void callbacksWithoutTasksRunOnceTheResponseIsSent(Container container) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        List<String> ids = new CopyOnWriteArrayList<>();
        Deployment app = Deployment.on(container).servlet("/audit", (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request);
            ids.add(exchange.exchangeId());
            exchange.onComplete(c -> {
                runs.incrementAndGet();
                ids.add(c.exchangeId());
            });
            response.getWriter().print("ok");
        });
        try (app) {
            app.start();
            assertThat(app.get("/audit").header("Connection")).isNotEqualTo(java.util.Optional.of("close"));
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
        }
        assertThat(runs).hasValue(1);
        assertThat(ids).hasSize(2).containsOnly(ids.get(0));
        assertThat(app.completions.get(0).outcome()).isEqualTo(Outcome.COMPLETED);
    }

    @EveryContainer
    void everyExchangeOfAConcurrentRunGetsItsCallbacksExactlyOnce(Container container) throws Exception {
        int requests = 200;
        Map<String, AtomicInteger> callbacksPerExchange = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> tasksPerExchange = new ConcurrentHashMap<>();
        Deployment app = Deployment.on(container).servlet("/many", (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request);
            if (Integer.parseInt(request.getParameter("i")) % 2 == 0) {
                exchange.then(task -> tasksPerExchange.computeIfAbsent(task.exchangeId(), id -> new AtomicInteger())
                        .incrementAndGet());
            }
            exchange.onComplete(c -> callbacksPerExchange.computeIfAbsent(c.exchangeId(), id -> new AtomicInteger())
                    .incrementAndGet());
            response.getWriter().print(request.getParameter("i"));
        });
        try (app) {
            app.start();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<Future<RawResponse>> responses = new CopyOnWriteArrayList<>();
                for (int i = 0; i < requests; i++) {
                    String path = "/many?i=" + i;
                    responses.add(clients.submit(() -> RawHttpClient.get(app.port(), path)));
                }
                for (int i = 0; i < requests; i++) {
                    assertThat(responses.get(i).get(30, TimeUnit.SECONDS).bodyText(StandardCharsets.US_ASCII))
                            .isEqualTo(Integer.toString(i));
                }
            } finally {
                clients.shutdownNow();
            }
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == requests);
        }
        assertThat(callbacksPerExchange).hasSize(requests).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        assertThat(tasksPerExchange).hasSize(requests / 2).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        assertThat(app.completions).hasSize(requests)
                .allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED));
    }
}
