package io.github.afterresponse.it;

import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * An exchange whose background work is under way keeps only what its tasks can use: no object of
 * the container's (request, response, connection, buffers), no wrapper state, no response output —
 * also when the task captured the servlet's request, response, {@code AfterResponse}, writer and
 * input stream, which then lead to nothing but their refusal (the emptied wrappers themselves stay,
 * a few hundred bytes). Measured with a live-object class
 * histogram of the test's JVM (where the embedded container runs) with {@value #IN_FLIGHT}
 * exchanges waiting in their tasks, against one taken after as many exchanges that ended.
 */
class LeanExchangeIT {

    private static final int IN_FLIGHT = 200;
    private static final int BODY = 2048;
    /** Measured 1.7 KB (2.2 KB with the captures) on Java 17 and 25; room for noise. */
    private static final long MAX_PER_EXCHANGE = 4096;
    /** Far above noise, far below one per exchange. */
    private static final long AT_MOST = IN_FLIGHT / 4;
    private static final List<String> CONTAINER_PACKAGES = List.of("org.eclipse.jetty.", "org.apache.catalina.",
            "org.apache.coyote.", "org.apache.tomcat.", "io.undertow.", "org.xnio.");
    /** The toolkit's objects that serve only the servlet: none may outlive it. */
    private static final List<String> SERVLET_SIDE = List.of("ResponseOutput", "ResponseBuffer", "FinishEarly",
            "ClientChannel", "ForwardingDispatcher");

    @EveryContainer
    void anExchangeInItsTasksKeepsNothingOfTheContainerOrTheServletSide(Container container) throws Exception {
        measure(container, false);
    }

    @EveryContainer
    void soDoesOneWhoseTaskCapturedTheServletsObjects(Container container) throws Exception {
        measure(container, true);
    }

    private static void measure(Container container, boolean captures) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        // Named, so that a run on another executor keeps it: the container executor's tasks run on
        // request threads, whose stacks hold the container's objects by design.
        try (Deployment app = Deployment.on(container, Map.of("executor", "dedicated",
                        "max-running", String.valueOf(IN_FLIGHT), "queue-capacity", "0", "connection-close", "false"))
                .servlet("/ends", (request, response) -> respond(request, response, captures, new CountDownLatch(0)))
                .servlet("/waits", (request, response) -> respond(request, response, captures, gate))
                .start()) {
            try {
                for (int i = 0; i < IN_FLIGHT; i++) {
                    assertThat(app.get("/ends").statusCode()).isEqualTo(200); // pools, caches, JIT: as when measuring
                }
                Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == IN_FLIGHT);
                Path before = Files.createTempFile("lean-exchange-before", ".txt");
                Path during = Files.createTempFile("lean-exchange-during", ".txt");
                HeapHistogram.take(before);
                for (int i = 0; i < IN_FLIGHT; i++) {
                    assertThat(app.get("/waits").statusCode()).isEqualTo(200);
                }
                Awaitility.await().atMost(TIMEOUT).until(() -> app.monitor().running() == IN_FLIGHT);
                HeapHistogram.take(during);
                HeapHistogram first = HeapHistogram.read(before);
                HeapHistogram second = HeapHistogram.read(during);
                Files.delete(before);
                Files.delete(during);
                Map<String, HeapHistogram.Row> growth = second.growthSince(first);
                long threadBytes = growth.entrySet().stream().filter(entry -> isThread(entry.getKey()))
                        .mapToLong(entry -> entry.getValue().bytes()).sum() / IN_FLIGHT;
                long exchangeBytes = (second.totalBytes() - first.totalBytes()) / IN_FLIGHT - threadBytes;
                report(container, captures, exchangeBytes, threadBytes, growth);

                assertThat(grown(growth, name -> CONTAINER_PACKAGES.stream().anyMatch(name::startsWith)))
                        .as("container classes with about one object per in-flight exchange").isEmpty();
                long bodyBytes = growth.getOrDefault("[B", new HeapHistogram.Row(0, 0)).bytes() / IN_FLIGHT;
                assertThat(bodyBytes).as("bytes of byte arrays per in-flight exchange, whose body was " + BODY)
                        .isLessThan(BODY / 2);
                long guarded = growth.getOrDefault("io.github.afterresponse.internal.GuardedRequest",
                        new HeapHistogram.Row(0, 0)).instances();
                if (captures) {
                    // The histogram sees what the tasks hold: the captured wrappers, emptied (the
                    // container-class check above shows they lead nowhere).
                    assertThat(guarded).as("captured request wrappers").isGreaterThanOrEqualTo(IN_FLIGHT);
                } else {
                    assertThat(grown(growth, name -> name.startsWith("io.github.afterresponse.internal.")
                            && SERVLET_SIDE.stream().anyMatch(side -> name.endsWith("." + side)
                                    || name.contains("." + side + "$"))))
                            .as("servlet-side objects of the toolkit kept by in-flight exchanges").isEmpty();
                    assertThat(guarded).as("request wrappers").isLessThan(AT_MOST);
                }
                assertThat(exchangeBytes)
                        .as("bytes of live heap per in-flight exchange, its thread apart (the figure of record is "
                                + "bench/scale.sh's)")
                        .isLessThan(MAX_PER_EXCHANGE);
            } finally {
                gate.countDown();
            }
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 2 * IN_FLIGHT);
        }
    }

    private static void respond(HttpServletRequest request, HttpServletResponse response, boolean captures,
            CountDownLatch gate) throws java.io.IOException {
        AfterResponse exchange = AfterResponse.of(request);
        if (captures) {
            ServletInputStream input = request.getInputStream();
            PrintWriter writer = response.getWriter();
            writer.print("x".repeat(BODY));
            exchange.then(task -> {
                // A task that kept everything it must not use.
                Objects.requireNonNull(request);
                Objects.requireNonNull(response);
                Objects.requireNonNull(exchange);
                Objects.requireNonNull(input);
                Objects.requireNonNull(writer);
                Await.hold(gate);
            });
        } else {
            response.getOutputStream().write(new byte[BODY]);
            exchange.then(task -> Await.hold(gate));
        }
    }

    private static List<String> grown(Map<String, HeapHistogram.Row> growth,
            java.util.function.Predicate<String> classes) {
        return growth.entrySet().stream()
                .filter(entry -> classes.test(entry.getKey()) && entry.getValue().instances() >= AT_MOST)
                .map(entry -> entry.getKey() + " +" + entry.getValue().instances())
                .sorted()
                .collect(Collectors.toList());
    }

    /**
     * The waiting thread's own objects: a virtual thread keeps its parked stack on the heap (about 2
     * KB here, in a {@code StackChunk}), a platform thread its {@code Thread} object. They are the
     * task's, whatever it waits for, and counted apart.
     */
    private static boolean isThread(String name) {
        return name.startsWith("jdk.internal.vm.") || name.startsWith("java.lang.VirtualThread")
                || name.equals("java.lang.Thread") || name.startsWith("java.util.concurrent.DelayScheduler")
                || name.startsWith("java.util.concurrent.ForkJoin");
    }

    private static void report(Container container, boolean captures, long bytes, long threadBytes,
            Map<String, HeapHistogram.Row> growth) {
        String top = growth.entrySet().stream()
                .filter(entry -> entry.getValue().bytes() > 0)
                .sorted(Comparator.comparingLong((Map.Entry<String, HeapHistogram.Row> entry) -> entry.getValue().bytes())
                        .reversed())
                .limit(15)
                .map(entry -> String.format("  %8.1f B %6.2f objects  %s", entry.getValue().bytes() / (double) IN_FLIGHT,
                        entry.getValue().instances() / (double) IN_FLIGHT, entry.getKey()))
                .collect(Collectors.joining("\n"));
        System.out.printf("LeanExchangeIT %s %s, Java %d: %d bytes of live heap per in-flight exchange, and %d of its "
                + "waiting thread; per exchange:%n%s%n", container,
                captures ? "task captured the servlet's objects" : "plain task", Runtime.version().feature(), bytes,
                threadBytes, top);
    }
}
