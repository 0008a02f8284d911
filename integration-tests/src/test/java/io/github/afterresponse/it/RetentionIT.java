package io.github.afterresponse.it;

import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;

/**
 * Once the response has been sent, nothing of it stays reachable from the background work: with
 * dozens of exchanges running or queued, each of which sent a large body, the heap holds about
 * what the exchanges themselves need, not their bodies. Measured as heap used after a full GC,
 * in the server's JVM (the embedded containers run in the test's).
 */
class RetentionIT {

    private static final int BODY = 512 * 1024;
    private static final int RUNNING = 8;
    private static final int QUEUED = 32;
    /** Far below the body: what an exchange may keep is its state and snapshot, a few KiB. */
    private static final long MAX_PER_EXCHANGE = 64 * 1024;

    @EveryContainer
    void sentBodiesAreNotKeptWhileTheWorkWaitsOrRuns(Container container) throws Exception {
        measure(container, "/plain");
    }

    @EveryContainer
    void sentBodiesAreNotKeptEvenWhenTheTaskCapturedTheResponse(Container container) throws Exception {
        measure(container, "/captures");
    }

    private static void measure(Container container, String path) throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container, Map.of("max-running", String.valueOf(RUNNING),
                        "queue-capacity", String.valueOf(QUEUED), "connection-close", "false"))
                .servlet("/warm", (request, response) -> response.getOutputStream().write(new byte[BODY]))
                .servlet("/plain", (request, response) -> {
                    response.getOutputStream().write(new byte[BODY]);
                    AfterResponse.of(request).then(task -> Await.hold(hold));
                })
                .servlet("/captures", (request, response) -> {
                    response.getOutputStream().write(new byte[BODY]);
                    HttpServletResponse captured = response; // a task that kept the response it must not use
                    AfterResponse.of(request).then(task -> {
                        Objects.requireNonNull(captured);
                        Await.hold(hold);
                    });
                })
                .start()) {
            try {
                for (int i = 0; i < 3; i++) {
                    assertThat(app.get("/warm").body()).hasSize(BODY); // the container's pools and buffers
                }
                long before = usedHeapAfterGc();
                for (int i = 0; i < RUNNING + QUEUED; i++) {
                    assertThat(app.get(path).body()).hasSize(BODY);
                }
                Awaitility.await().atMost(TIMEOUT)
                        .until(() -> app.monitor().running() == RUNNING && app.monitor().queued() == QUEUED);
                long perExchange = (usedHeapAfterGc() - before) / (RUNNING + QUEUED);
                System.out.printf("RetentionIT %s %s: %d bytes retained per in-flight exchange%n", container, path,
                        perExchange);
                assertThat(perExchange).as("heap kept per in-flight exchange, whose body was " + BODY + " bytes")
                        .isLessThan(MAX_PER_EXCHANGE);
            } finally {
                hold.countDown();
            }
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 3 + RUNNING + QUEUED);
        }
    }

    /** Heap in use after full collections: the least of a few readings, to shed what others allocate meanwhile. */
    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
