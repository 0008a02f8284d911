package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawResponse;
import io.github.afterresponse.testkit.ServerStartException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * Which threads run the background work: the filter's own ({@code executor=dedicated}: named
 * {@code after-response-<filter>-<n>}, virtual on Java 21+, and free of the request thread even for
 * a servlet that is not asyncSupported) or the container's request pool (the default); each with
 * the web application's context class loader. A JNDI name that is not bound stops start-up.
 */
class ExecutorIT {

    /** What a thread looked like from inside: its name, context class loader and kind. */
    record ThreadSeen(String name, ClassLoader loader, Optional<Boolean> virtual) {

        static ThreadSeen current() {
            Thread thread = Thread.currentThread();
            return new ThreadSeen(thread.getName(), thread.getContextClassLoader(), isVirtual(thread));
        }

        /** {@code Thread.isVirtual()}, by reflection so that this compiles on Java 17; empty before 21. */
        private static Optional<Boolean> isVirtual(Thread thread) {
            try {
                Method isVirtual = Thread.class.getMethod("isVirtual");
                return Optional.of((Boolean) isVirtual.invoke(thread));
            } catch (NoSuchMethodException e) {
                return Optional.empty();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A servlet that notes its own thread and registers a task that notes the task's. */
    private static Handler noteThreads(AtomicReference<ThreadSeen> servlet, CompletableFuture<ThreadSeen> task) {
        return (request, response) -> {
            servlet.set(ThreadSeen.current());
            AfterResponse.of(request).then(context -> task.complete(ThreadSeen.current()));
            response.getWriter().print("noted");
        };
    }

    @EveryContainer
    void dedicatedExecutorRunsTheWorkOnTheFiltersOwnThreads(Container container) throws Exception {
        AtomicReference<ThreadSeen> servlet = new AtomicReference<>();
        CompletableFuture<ThreadSeen> task = new CompletableFuture<>();
        Deployment app = Deployment.on(container, Map.of("executor", "dedicated"))
                .servlet("/note", noteThreads(servlet, task));
        try (app) {
            app.start();
            assertThat(app.get("/note").bodyText(StandardCharsets.US_ASCII)).isEqualTo("noted");
            ThreadSeen worker = task.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(worker.name()).matches("after-response-afterResponse-\\d+");
            assertThat(worker.loader()).as("the web application's class loader, as the servlet had it")
                    .isNotNull().isSameAs(servlet.get().loader());
            if (Runtime.version().feature() >= 21) {
                assertThat(worker.virtual()).as("a virtual thread on Java %d", Runtime.version().feature())
                        .hasValue(true);
                assertThat(servlet.get().virtual()).hasValue(false);
            } else {
                assertThat(worker.virtual()).as("Java %d has platform threads only", Runtime.version().feature())
                        .isEmpty();
            }
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
        }
        assertThat(app.completions).singleElement()
                .satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED));
    }

    @EveryContainer
    void containerExecutorRunsTheWorkOnTheContainersRequestPool(Container container) throws Exception {
        AtomicReference<ThreadSeen> servlet = new AtomicReference<>();
        CompletableFuture<ThreadSeen> task = new CompletableFuture<>();
        // Named, so that a run of the suite on another executor (-Dit.executor) keeps it.
        Deployment app = Deployment.on(container, Map.of("executor", "container"))
                .servlet("/note", noteThreads(servlet, task));
        try (app) {
            app.start();
            app.get("/note");
            ThreadSeen worker = task.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            switch (container) {
                // The testkit names Jetty's QueuedThreadPool; left alone, its threads are "qtp<hash>-<n>".
                case JETTY -> assertThat(worker.name()).startsWith("testkit-jetty-");
                case TOMCAT -> assertThat(worker.name()).contains("-exec-");
                case UNDERTOW -> assertThat(worker.name()).contains("XNIO").contains("task");
            }
            assertThat(pool(worker.name())).as("the pool of the servlet's thread " + servlet.get().name())
                    .isEqualTo(pool(servlet.get().name()));
            assertThat(worker.name()).doesNotStartWith("after-response-");
            assertThat(worker.loader()).as("the web application's class loader, as the servlet had it")
                    .isNotNull().isSameAs(servlet.get().loader());
            assertThat(worker.virtual()).isNotEqualTo(Optional.of(true));
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
        }
    }

    /** A pool thread's name without its number: {@code XNIO-1 task-3} belongs to {@code XNIO-1 task-}. */
    private static String pool(String threadName) {
        return threadName.replaceFirst("\\d+$", "");
    }

    @EveryContainer
    void dedicatedExecutorFreesTheRequestThreadOfAServletThatIsNotAsyncSupported(Container container)
            throws Exception {
        HeldTask held = new HeldTask();
        AtomicReference<ThreadSeen> servlet = new AtomicReference<>();
        CompletableFuture<ThreadSeen> task = new CompletableFuture<>();
        Deployment app = Deployment.on(container, Map.of("executor", "dedicated"))
                .blockingServlet("/blocking", (request, response) -> {
                    servlet.set(ThreadSeen.current());
                    AfterResponse exchange = AfterResponse.of(request);
                    exchange.then(context -> task.complete(ThreadSeen.current()));
                    held.registerOn(exchange);
                    response.getWriter().print("answered");
                });
        try (app) {
            app.start();
            RawResponse response = app.get("/blocking");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("answered");
            await(held.started, "the held task");
            assertThat(held.isRunning()).as("the response arrived while the task still runs").isTrue();
            ThreadSeen worker = task.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(worker.name()).matches("after-response-afterResponse-\\d+")
                    .isNotEqualTo(servlet.get().name());

            held.release.countDown();
            await(held.done, "the held exchange's end");
        }
        assertThat(held.completion.get().outcome()).isEqualTo(Outcome.COMPLETED);
    }

    @EveryContainer
    void unboundJndiExecutorStopsStartUpNamingTheParameterAndValue(Container container) throws Exception {
        Deployment app = Deployment.on(container, Map.of("executor", "jndi:java:comp/env/none"))
                .servlet("/note", (request, response) -> response.getWriter().print("never"));
        try (app) {
            assertThatThrownBy(app::start)
                    .isInstanceOf(ServerStartException.class)
                    .satisfies(e -> assertThat(messages(e)).anySatisfy(message -> assertThat(message)
                            .contains("After Response filter 'afterResponse' cannot start")
                            .contains("init-param executor")
                            .contains("'jndi:java:comp/env/none'")));
        }
    }

    /**
     * {@code executor=platform}: a pool of {@code threads} platform threads of the filter's own;
     * of the {@code max-running} exchanges admitted, at most {@code threads} run, the others wait
     * queued, and past both the next request is refused before its servlet runs.
     */
    @EveryContainer
    void platformExecutorRunsAtMostItsThreadsAndQueuesTheRestOfMaxRunning(Container container) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Set<String> workers = ConcurrentHashMap.newKeySet();
        List<Optional<Boolean>> virtual = new java.util.concurrent.CopyOnWriteArrayList<>();
        Deployment app = Deployment.on(container, Map.of("executor", "platform", "max-running", "4", "threads", "2",
                        "queue-capacity", "0", "connection-close", "false"))
                .servlet("/hold", (request, response) -> {
                    AfterResponse.of(request).then(task -> {
                        workers.add(Thread.currentThread().getName());
                        virtual.add(ThreadSeen.current().virtual());
                        Await.hold(release);
                    });
                    response.getWriter().print("held");
                });
        try (app) {
            app.start();
            for (int i = 0; i < 4; i++) {
                assertThat(app.get("/hold").statusCode()).isEqualTo(200);
            }
            Awaitility.await().atMost(TIMEOUT).until(() -> app.monitor().running() == 2 && app.monitor().queued() == 2);
            assertThat(app.get("/hold").statusCode()).as("max-running admitted, the queue empty: refused").isEqualTo(503);
            assertThat(workers).hasSize(2).allSatisfy(name -> assertThat(name).matches("after-response-afterResponse-\\d+"));
            release.countDown();
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.stream()
                    .filter(c -> c.outcome() == Outcome.COMPLETED).count() == 4);
            assertThat(workers).as("the queued exchanges ran on the same two threads").hasSize(2);
            assertThat(virtual).hasSize(4).allSatisfy(seen -> assertThat(seen).isNotEqualTo(Optional.of(true)));
        } finally {
            release.countDown();
        }
    }

    /** {@code executor=virtual}: a virtual thread per exchange on Java 21+; before, the filter does not start. */
    @EveryContainer
    void virtualExecutorRunsOnVirtualThreadsOrRefusesToStartBeforeJava21(Container container) throws Exception {
        AtomicReference<ThreadSeen> servlet = new AtomicReference<>();
        CompletableFuture<ThreadSeen> task = new CompletableFuture<>();
        Deployment app = Deployment.on(container, Map.of("executor", "virtual"))
                .servlet("/note", noteThreads(servlet, task));
        try (app) {
            if (Runtime.version().feature() < 21) {
                assertThatThrownBy(app::start)
                        .isInstanceOf(ServerStartException.class)
                        .satisfies(e -> assertThat(messages(e)).anySatisfy(message -> assertThat(message)
                                .contains("init-param executor").contains("'virtual'").contains("Java 21")));
                return;
            }
            app.start();
            assertThat(app.get("/note").bodyText(StandardCharsets.US_ASCII)).isEqualTo("noted");
            ThreadSeen worker = task.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(worker.virtual()).hasValue(true);
            assertThat(worker.name()).matches("after-response-afterResponse-\\d+");
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
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
