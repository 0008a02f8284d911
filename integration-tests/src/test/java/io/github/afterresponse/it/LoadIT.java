package io.github.afterresponse.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.Completion;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * Admission under load: 5,000 requests from 32 concurrent clients against a filter that lets 16
 * exchanges run and 64 wait. Every request is answered 200 or 503, nothing else and no I/O error;
 * every 200 had its task run exactly once and its callback exactly once, no 503 ran anything, and
 * the monitor's counters agree with what the clients saw: nothing admitted is lost.
 */
class LoadIT {

    private static final int REQUESTS = 5_000;
    private static final int CLIENTS = 32;
    /** The whole run, per container; on 2 cores it takes a few seconds. */
    private static final Duration BUDGET = Duration.ofSeconds(45);

    @EveryContainer
    void everyRequestIsAnsweredAndEveryAcceptedTaskRunsOnce(Container container) throws Exception {
        AtomicInteger servletRuns = new AtomicInteger();
        Map<String, AtomicInteger> taskRuns = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> callbackRuns = new ConcurrentHashMap<>();
        Deployment app = Deployment.on(container, Map.of("max-running", "16", "queue-capacity", "64"))
                .servlet("/load", (request, response) -> {
                    servletRuns.incrementAndGet();
                    AfterResponse exchange = AfterResponse.of(request);
                    exchange.then(task -> {
                                taskRuns.computeIfAbsent(task.exchangeId(), id -> new AtomicInteger()).incrementAndGet();
                                Thread.sleep(2); // a little work, so that exchanges overlap and may queue
                            })
                            .onComplete(c -> callbackRuns.computeIfAbsent(c.exchangeId(), id -> new AtomicInteger())
                                    .incrementAndGet());
                    response.setContentType("text/plain");
                    response.getWriter().print(exchange.exchangeId());
                });
        Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        long elapsedMs;
        try (app) {
            app.start();
            AfterResponseMonitor monitor = app.monitor();
            AtomicInteger next = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long start = System.nanoTime();
            try {
                List<Future<?>> running = new CopyOnWriteArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    running.add(clients.submit(() -> {
                        for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                            try {
                                RawResponse response = RawHttpClient.get(app.port(), "/load?i=" + i);
                                switch (response.statusCode()) {
                                    case 200 -> {
                                        ok.incrementAndGet();
                                        String id = response.bodyText(StandardCharsets.US_ASCII);
                                        if (!acceptedIds.add(id)) {
                                            unexpected.add("request " + i + ": task id " + id + " given twice");
                                        }
                                    }
                                    case 503 -> {
                                        refused.incrementAndGet();
                                        if (response.header("Retry-After").isEmpty()) {
                                            unexpected.add("request " + i + ": 503 without Retry-After");
                                        }
                                    }
                                    default -> unexpected.add("request " + i + ": " + response);
                                }
                            } catch (Exception e) {
                                unexpected.add("request " + i + ": " + e);
                            }
                        }
                    }));
                }
                for (Future<?> client : running) {
                    client.get(BUDGET.toSeconds(), TimeUnit.SECONDS);
                }
            } finally {
                clients.shutdownNow();
            }
            elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(unexpected).as("answers other than 200 or 503, and I/O errors").isEmpty();
            assertThat(ok.get() + refused.get()).isEqualTo(REQUESTS);

            Awaitility.await().atMost(Deployment.TIMEOUT).until(() -> app.completions.size() == REQUESTS);
            Awaitility.await().atMost(Deployment.TIMEOUT).until(() -> monitor.running() == 0 && monitor.queued() == 0);
            assertThat(monitor.accepted()).isEqualTo(ok.get());
            assertThat(monitor.rejected()).isEqualTo(refused.get());
            assertThat(monitor.completed()).isEqualTo(ok.get());
            assertThat(monitor.failed() + monitor.cancelled() + monitor.shutDown()).isZero();
        }
        System.out.printf("LoadIT %s: %d requests, %d accepted, %d rejected, %d ms%n",
                container, REQUESTS, ok.get(), refused.get(), elapsedMs);

        assertThat(servletRuns).as("servlets run: exactly the accepted requests").hasValue(ok.get());
        assertThat(taskRuns.keySet()).as("tasks run: exactly the accepted exchanges").isEqualTo(acceptedIds);
        assertThat(taskRuns).allSatisfy((id, count) -> assertThat(count).as("task runs of " + id).hasValue(1));
        assertThat(callbackRuns.keySet()).isEqualTo(acceptedIds);
        assertThat(callbackRuns).allSatisfy((id, count) -> assertThat(count).as("callbacks of " + id).hasValue(1));

        Map<Outcome, List<Completion>> byOutcome = app.completions.stream()
                .collect(Collectors.groupingBy(Completion::outcome));
        assertThat(byOutcome.keySet()).isSubsetOf(Set.of(Outcome.COMPLETED, Outcome.REJECTED));
        assertThat(byOutcome.getOrDefault(Outcome.COMPLETED, List.of())).extracting(Completion::exchangeId)
                .containsExactlyInAnyOrderElementsOf(acceptedIds);
        assertThat(byOutcome.getOrDefault(Outcome.REJECTED, List.of())).hasSize(refused.get())
                .allSatisfy(c -> assertThat(acceptedIds).doesNotContain(c.exchangeId()));
        assertThat(app.completions.stream().map(Completion::exchangeId).distinct()).hasSize(REQUESTS);
    }
}
