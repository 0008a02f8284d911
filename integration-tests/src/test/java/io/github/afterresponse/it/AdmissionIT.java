package io.github.afterresponse.it;

import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.TaskInfo;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * Admission control: with {@code max-running} exchanges running and {@code queue-capacity} more
 * waiting, a request behind the filter is refused with 503 and {@code Retry-After} before its
 * servlet runs, while requests the filter does not see are untouched; queued work starts FIFO
 * when a slot frees, never more than {@code max-running} at once, and nothing admitted is
 * dropped. Work waiting for a slot holds no request thread.
 */
class AdmissionIT {

    /** Requests the client waits for at most this long while the filter is saturated. */
    private static final Duration PROMPT = Duration.ofSeconds(1);

    /**
     * Background work that records when it starts and ends and how many run at once, and holds
     * its thread until the test releases all of them together.
     */
    private static final class HeldWork {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        final Map<String, AtomicInteger> taskRuns = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> callbackRuns = new ConcurrentHashMap<>();
        final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        final AtomicInteger servletRuns = new AtomicInteger();

        /** The servlet: registers the held task and a callback; answers with the task id. */
        Handler servlet() {
            return (request, response) -> {
                servletRuns.incrementAndGet();
                AfterResponse exchange = AfterResponse.of(request);
                exchange.then(task -> {
                            taskRuns.computeIfAbsent(task.exchangeId(), id -> new AtomicInteger()).incrementAndGet();
                            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                            events.add("start " + task.exchangeId());
                            try {
                                Await.hold(release);
                            } finally {
                                events.add("end " + task.exchangeId());
                                concurrent.decrementAndGet();
                            }
                        })
                        .onComplete(c -> {
                            callbackRuns.computeIfAbsent(c.exchangeId(), id -> new AtomicInteger()).incrementAndGet();
                            outcomes.put(c.exchangeId(), c.outcome());
                        });
                response.setContentType("text/plain");
                response.getWriter().print(exchange.exchangeId());
            };
        }

        /**
         * Sends one request to {@code /work/held}, checks it was accepted, and waits until
         * {@code settled} holds, so that the next request finds this one's work started or queued.
         *
         * @return the task id
         */
        String accept(AdmissionDeployment app, Callable<Boolean> settled) throws Exception {
            RawResponse response = app.get("/work/held");
            assertThat(response.statusCode()).isEqualTo(200);
            Awaitility.await().atMost(TIMEOUT).until(settled);
            return response.bodyText(StandardCharsets.US_ASCII);
        }

        List<String> starts() {
            return events.stream().filter(e -> e.startsWith("start ")).map(e -> e.substring(6)).toList();
        }
    }

    @EveryContainer
    void fullFilterRefusesBeforeTheServletRunsAndRecoversWhenWorkEnds(Container container) throws Exception {
        HeldWork work = new HeldWork();
        AtomicInteger plainRuns = new AtomicInteger();
        AtomicInteger probeRuns = new AtomicInteger();
        AdmissionDeployment app = AdmissionDeployment.on(container,
                        Map.of("max-running", "2", "queue-capacity", "1", "retry-after", "7"))
                .filtered("/work/held", work.servlet())
                .filtered("/work/plain", (request, response) -> {
                    plainRuns.incrementAndGet();
                    response.getWriter().print("plain");
                })
                .unfiltered("/probe", (request, response) -> {
                    probeRuns.incrementAndGet();
                    response.getWriter().print("probe");
                });
        List<String> accepted = new ArrayList<>();
        try (app; AutoCloseable releaseFirst = work.release::countDown) {
            app.start();

            // Saturate: two exchanges run, the third waits in the queue. Each client already has its
            // answer. One at a time, so that the order is known.
            accepted.add(work.accept(app, () -> work.starts().size() == 1));
            accepted.add(work.accept(app, () -> work.starts().size() == 2));
            accepted.add(work.accept(app, () -> app.monitor().queued() == 1));
            assertThat(app.monitor().running()).isEqualTo(2);
            assertThat(work.starts()).containsExactly(accepted.get(0), accepted.get(1));
            assertThat(app.monitor().accepted()).isEqualTo(3);
            assertThat(app.monitor().tasks()).extracting(TaskInfo::exchangeId).containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(app.monitor().tasks()).filteredOn(TaskInfo::isQueued)
                    .singleElement().satisfies(t -> assertThat(t.exchangeId()).isEqualTo(accepted.get(2)));

            // The next request behind the filter is refused before its servlet runs.
            RawResponse refused = app.get("/work/held");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).hasValue("7");
            assertThat(refused.header("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            assertThat(refused.body()).isNotEmpty().hasSizeLessThan(512);
            assertThat(work.servletRuns).hasValue(3);
            // Counted as the refused exchange ends, which may be just after the client has the 503.
            Awaitility.await().atMost(TIMEOUT).until(() -> rejections(app.completions) == 1);
            Awaitility.await().atMost(TIMEOUT).until(() -> app.monitor().rejected() == 1);

            // A servlet the filter does not see answers at once.
            long probeStart = System.nanoTime();
            RawResponse probe = app.get("/probe");
            Duration probeTime = Duration.ofNanos(System.nanoTime() - probeStart);
            assertThat(probe.statusCode()).isEqualTo(200);
            assertThat(probe.bodyText(StandardCharsets.US_ASCII)).isEqualTo("probe");
            assertThat(probeTime).isLessThan(PROMPT);

            // A filtered servlet that would register no task is refused too: the filter cannot know
            // that before the servlet runs, and the spec counts every unfinished exchange.
            RawResponse plainRefused = app.get("/work/plain");
            assertThat(plainRefused.statusCode()).isEqualTo(503);
            assertThat(plainRefused.header("Retry-After")).hasValue("7");
            assertThat(plainRuns).hasValue(0);
            Awaitility.await().atMost(TIMEOUT).until(() -> rejections(app.completions) == 2);
            Awaitility.await().atMost(TIMEOUT).until(() -> app.monitor().rejected() == 2);
            assertThat(app.completions).filteredOn(c -> c.outcome() == Outcome.REJECTED)
                    .allSatisfy(c -> assertThat(c.respondedAt()).isEmpty())
                    .extracting(Completion::exchangeId).doesNotContainAnyElementsOf(accepted);

            // Release: all three accepted exchanges end, the queued one started only after a running one ended.
            work.release.countDown();
            Awaitility.await().atMost(TIMEOUT).until(() -> work.outcomes.size() == 3);
            Awaitility.await().atMost(TIMEOUT)
                    .until(() -> app.monitor().running() == 0 && app.monitor().queued() == 0);
            assertThat(work.starts()).containsExactlyElementsOf(accepted);
            assertThat(work.events.indexOf("start " + accepted.get(2)))
                    .isGreaterThan(Math.min(work.events.indexOf("end " + accepted.get(0)),
                            work.events.indexOf("end " + accepted.get(1))));
            assertThat(work.maxConcurrent).hasValue(2);

            // Accepted again.
            RawResponse again = app.get("/work/plain");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.bodyText(StandardCharsets.US_ASCII)).isEqualTo("plain");
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 6);
            assertThat(app.monitor().accepted()).isEqualTo(4);
            assertThat(app.monitor().rejected()).isEqualTo(2);
            assertThat(app.monitor().completed()).isEqualTo(4);
        }
        assertThat(work.outcomes).containsOnlyKeys(accepted).allSatisfy(
                (id, outcome) -> assertThat(outcome).isEqualTo(Outcome.COMPLETED));
        assertThat(work.taskRuns).hasSize(3).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        assertThat(work.callbackRuns).hasSize(3).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        assertThat(app.completions).hasSize(6);
        assertThat(app.completions.stream().map(Completion::exchangeId).distinct()).hasSize(6);
        assertThat(app.completions).extracting(Completion::outcome)
                .containsOnly(Outcome.COMPLETED, Outcome.REJECTED)
                .filteredOn(o -> o == Outcome.COMPLETED).hasSize(4);
        assertThat(probeRuns).hasValue(1);
        assertThat(plainRuns).hasValue(1);
    }

    @EveryContainer
    void queuedWorkHoldsNoRequestThreadAndOrdinaryRequestsStayPrompt(Container container) throws Exception {
        HeldWork work = new HeldWork();
        AtomicInteger quickRuns = new AtomicInteger();
        AdmissionDeployment app = AdmissionDeployment.on(container, Map.of("max-running", "1"))
                .filtered("/work/held", work.servlet())
                .filtered("/work/quick", (request, response) -> {
                    quickRuns.incrementAndGet();
                    response.getWriter().print("quick");
                });
        List<String> accepted = new ArrayList<>();
        try (app; AutoCloseable releaseFirst = work.release::countDown) {
            app.start();
            accepted.add(work.accept(app, () -> work.starts().size() == 1));
            for (int queued = 1; queued <= 4; queued++) {
                int expected = queued;
                accepted.add(work.accept(app, () -> app.monitor().queued() == expected));
            }
            assertThat(app.monitor().running()).isEqualTo(1);

            // With the container's executor the running work occupies one request thread (DESIGN
            // fact 5); the four queued exchanges occupy none.
            Awaitility.await().atMost(TIMEOUT).until(() -> requestThreadsInAfterResponse() == 1);

            // Twenty ordinary requests behind the filter, all at once, are answered promptly.
            ExecutorService clients = Executors.newFixedThreadPool(20);
            try {
                List<Future<Duration>> answers = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    answers.add(clients.submit(() -> {
                        long start = System.nanoTime();
                        RawResponse response = app.get("/work/quick");
                        assertThat(response.statusCode()).isEqualTo(200);
                        assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("quick");
                        return Duration.ofNanos(System.nanoTime() - start);
                    }));
                }
                for (Future<Duration> answer : answers) {
                    assertThat(answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isLessThan(PROMPT);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(quickRuns).hasValue(20);
            assertThat(app.monitor().running()).isEqualTo(1);
            assertThat(app.monitor().queued()).isEqualTo(4);
            assertThat(work.starts()).containsExactly(accepted.get(0));

            work.release.countDown();
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 25);
        }
        assertThat(work.starts()).as("queued work starts first in, first out").containsExactlyElementsOf(accepted);
        assertThat(work.maxConcurrent).hasValue(1);
        assertThat(work.taskRuns).hasSize(5).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        assertThat(work.callbackRuns).hasSize(5).allSatisfy((id, count) -> assertThat(count).hasValue(1));
        assertThat(work.outcomes).allSatisfy((id, outcome) -> assertThat(outcome).isEqualTo(Outcome.COMPLETED));
        assertThat(app.completions).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED));
    }

    private static long rejections(List<Completion> completions) {
        return completions.stream().filter(c -> c.outcome() == Outcome.REJECTED).count();
    }

    /** The containers' request threads: Jetty {@code testkit-jetty-N}, Tomcat {@code http-nio-…-exec-N}, Undertow {@code XNIO-1 task-N}. */
    private static final Pattern REQUEST_THREAD = Pattern.compile("testkit-jetty-\\d+|.*-exec-\\d+|XNIO-\\d+ task-\\d+");

    /** How many request threads have After Response code (the toolkit's or a test task's) on their stack now. */
    private static long requestThreadsInAfterResponse() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> REQUEST_THREAD.matcher(e.getKey().getName()).matches())
                .filter(e -> Arrays.stream(e.getValue())
                        .anyMatch(frame -> frame.getClassName().startsWith("io.github.afterresponse.")))
                .count();
    }
}
