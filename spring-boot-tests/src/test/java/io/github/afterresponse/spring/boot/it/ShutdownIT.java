package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.Completion;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.TaskContext;
import io.github.afterresponse.spring.boot.internal.RegisteredFilters;
import io.github.afterresponse.spring.boot.it.app.Events;
import io.github.afterresponse.spring.boot.it.app.Held;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the context with work running and queued: Boot drains the request in progress first,
 * then the filter stops (running work gets its grace, queued work ends SHUT_DOWN), every callback
 * runs, and only then do the servlet context and the beans go.
 */
class ShutdownIT {

    @AfterEach
    void release() {
        Held.releaseAll();
    }

    @Test
    void aGracefulStopRunsEveryCallbackAfterBootsDrainAndBeforeTheWebServerStops() throws Exception {
        Events.clear();
        ConfigurableApplicationContext app = Apps.start("server.shutdown=graceful", "after-response.shutdown-grace=3s",
                "after-response.max-running=2", "after-response.queue-capacity=5");
        int port = Apps.port(app);
        AfterResponseFilter filter = app.getBean(RegisteredFilters.class).all().get(0).filter();
        AfterResponseMonitor monitor = filter.monitor();

        for (String key : List.of("r1", "r2", "q1", "q2")) {
            assertThat(RawHttp.get(port, "/held?key=" + key).status()).isEqualTo(200);
        }
        TaskContext r1 = Held.entry("r1").task.get(10, TimeUnit.SECONDS);
        TaskContext r2 = Held.entry("r2").task.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(monitor.running() + " running, "
                + monitor.queued() + " queued: " + monitor.tasks()).startsWith("2 running, 2 queued"));
        // Threads of the test's own: the common pool may have a single thread, and both of these block.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<RawHttp.Response> foreground = CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.get(port, "/foreground?key=f");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        assertThat(Held.entry("f").entered.await(10, TimeUnit.SECONDS)).isTrue();

        try (LogCapture log = new LogCapture("org.springframework.boot")) {
            CompletableFuture<Void> closed = CompletableFuture.runAsync(app::close, threads);

            // Boot drains the request in progress; the filter has not begun its stop.
            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("Commencing graceful shutdown"));
            assertThat(r1.shouldStop()).isFalse();
            assertThat(monitor.queued()).isEqualTo(2);
            assertThat(Events.all()).noneMatch(e -> e.endsWith("SHUT_DOWN"));

            Held.entry("f").release();
            assertThat(foreground.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

            // Now the filter stops: the running work is told, the queued work ends at once.
            await().atMost(Duration.ofSeconds(10)).until(r1::shouldStop);
            assertThat(r2.shouldStop()).isTrue();
            Held.entry("r1").release(); // ends within the grace; r2 is held past it and interrupted
            closed.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(outcome("r1")).isEqualTo(Outcome.COMPLETED);
        assertThat(outcome("r2")).isEqualTo(Outcome.SHUT_DOWN);
        assertThat(outcome("q1")).isEqualTo(Outcome.SHUT_DOWN);
        assertThat(outcome("q2")).isEqualTo(Outcome.SHUT_DOWN);

        List<String> events = Events.all();
        int drained = events.indexOf("foreground request returned");
        int firstStop = indexOf(events, "SHUT_DOWN");
        int servletContextDestroyed = events.indexOf("servlet context destroyed");
        int beansDestroyed = events.indexOf("beans destroyed");
        int lastCompletion = lastIndexOf(events, "completion ");
        assertThat(drained).as(events.toString()).isNotNegative().isLessThan(firstStop);
        // The beans the tasks use were alive for every callback; the servlet context (which would
        // destroy the filter itself, too late) goes only after them, with the web server.
        assertThat(lastCompletion).as(events.toString()).isLessThan(beansDestroyed);
        assertThat(beansDestroyed).as(events.toString()).isLessThan(servletContextDestroyed);
        // Every accepted exchange was told: the four held ones and the drained request.
        assertThat(Events.completions()).extracting(Completion::exchangeId)
                .contains(Held.entry("r1").exchangeId, Held.entry("r2").exchangeId, Held.entry("q1").exchangeId,
                        Held.entry("q2").exchangeId)
                .hasSize((int) monitor.accepted());
    }

    private static Outcome outcome(String key) throws Exception {
        return Held.entry(key).completion.get(10, TimeUnit.SECONDS).outcome();
    }

    private static int indexOf(List<String> events, String text) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<String> events, String text) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
