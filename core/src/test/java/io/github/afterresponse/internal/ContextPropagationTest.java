package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ContextPropagator;
import io.github.afterresponse.Outcome;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Context propagation through the real scheduler and job on a one-thread pool, so that the thread
 * that ran an exchange's task and callback is the one probed afterwards: for each built-in
 * propagator, the task and the callback see the request thread's context, and the pooled thread
 * has nothing of it once the work has ended (its own value back, or none).
 */
class ContextPropagationTest {

    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

    /** An MDC-like holder: a map per thread, read as a copy, that is not a bare ThreadLocal value. */
    private static final class LogContext {
        private static final ThreadLocal<Map<String, String>> MAP = new ThreadLocal<>();

        static @Nullable Map<String, String> copy() {
            Map<String, String> map = MAP.get();
            return map == null ? null : new HashMap<>(map);
        }

        static void set(Map<String, String> map) {
            MAP.set(new HashMap<>(map));
        }

        static void put(String key, String value) {
            Map<String, String> map = MAP.get();
            if (map == null) {
                map = new HashMap<>();
                MAP.set(map);
            }
            map.put(key, value);
        }

        static @Nullable String get(String key) {
            Map<String, String> map = MAP.get();
            return map == null ? null : map.get(key);
        }

        static void clear() {
            MAP.remove();
        }
    }

    private final OneThreadPool pool = new OneThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        pool.close();
        TENANT.remove();
        LogContext.clear();
    }

    private <T> @Nullable T onPoolThread(Supplier<T> read) throws Exception {
        return pool.onThread(read);
    }

    private List<@Nullable Object> runExchange(Supplier<@Nullable Object> read, ContextPropagator... propagators)
            throws Exception {
        List<@Nullable Object> seen = pool.run(read, propagators);
        assertThat(pool.completions).singleElement().extracting(Completion::outcome).isEqualTo(Outcome.COMPLETED);
        return seen;
    }

    @Test
    void threadLocalIsSeenByTheTaskAndCallbackAndRemovedFromThePooledThreadAfterwards() throws Exception {
        assertThat(onPoolThread(TENANT::get)).as("the pool thread starts without a tenant").isNull();
        TENANT.set("acme");

        List<@Nullable Object> seen = runExchange(TENANT::get, ContextPropagator.threadLocal(TENANT));

        assertThat(seen).containsExactly("acme", "acme");
        assertThat(onPoolThread(TENANT::get)).as("left on the pooled thread").isNull();
        assertThat(TENANT.get()).as("the request thread keeps its own").isEqualTo("acme");
    }

    @Test
    void threadLocalGivesThePooledThreadItsOwnValueBack() throws Exception {
        pool.pool.submit(() -> TENANT.set("pool's own")).get(10, TimeUnit.SECONDS);
        TENANT.set("acme");

        List<@Nullable Object> seen = runExchange(TENANT::get, ContextPropagator.threadLocal(TENANT));

        assertThat(seen).containsExactly("acme", "acme");
        assertThat(onPoolThread(TENANT::get)).isEqualTo("pool's own");
    }

    @Test
    void threadLocalTheRequestThreadLacksIsAbsentInTheTaskToo() throws Exception {
        pool.pool.submit(() -> TENANT.set("pool's own")).get(10, TimeUnit.SECONDS);

        List<@Nullable Object> seen = runExchange(TENANT::get, ContextPropagator.threadLocal(TENANT));

        assertThat(seen).as("the pool's value is not the request's").containsExactly(null, null);
        assertThat(onPoolThread(TENANT::get)).isEqualTo("pool's own");
    }

    @Test
    void accessorsCarryAnMdcLikeMapAndClearItAfterwards() throws Exception {
        LogContext.put("request", "r-42");
        ContextPropagator mdc = ContextPropagator.of(LogContext::copy, LogContext::set, LogContext::clear);

        List<@Nullable Object> seen = runExchange(() -> LogContext.get("request"), mdc);

        assertThat(seen).containsExactly("r-42", "r-42");
        assertThat(onPoolThread(LogContext::copy)).as("left on the pooled thread").isNull();
    }

    @Test
    void aTaskThatChangesTheContextDoesNotLeakItEither() throws Exception {
        LogContext.put("request", "r-42");
        ContextPropagator mdc = ContextPropagator.of(LogContext::copy, LogContext::set, LogContext::clear);

        List<@Nullable Object> seen = runExchange(() -> {
            String before = LogContext.get("request");
            LogContext.put("added-by-task", "yes");
            return before;
        }, mdc);

        assertThat(seen).containsExactly("r-42", "r-42");
        assertThat(onPoolThread(LogContext::copy)).isNull();
    }

    @Test
    void contextClassLoaderIsTheRequestThreadsAndThePoolsOwnComesBack() throws Exception {
        ClassLoader poolLoader = onPoolThread(() -> Thread.currentThread().getContextClassLoader());
        ClassLoader webApp = new URLClassLoader(new URL[0], getClass().getClassLoader());
        Thread request = Thread.currentThread();
        ClassLoader before = request.getContextClassLoader();
        request.setContextClassLoader(webApp);
        List<@Nullable Object> seen;
        try {
            seen = runExchange(() -> Thread.currentThread().getContextClassLoader()); // built in: no propagator given
        } finally {
            request.setContextClassLoader(before);
        }

        assertThat(seen).containsExactly(webApp, webApp);
        assertThat(onPoolThread(() -> Thread.currentThread().getContextClassLoader()))
                .as("the pooled thread's own loader").isSameAs(poolLoader);
    }

    @Test
    void restoresInOrderAndClosesInReverse() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ContextPropagator first = recording("first", events);
        ContextPropagator second = recording("second", events);

        runExchange(() -> null, first, second);

        assertThat(events).containsExactly("capture first", "capture second",
                "restore first", "restore second", "close second", "close first",   // the task
                "restore first", "restore second", "close second", "close first",   // the callback
                "restore first", "restore second", "close second", "close first");  // the filter's own
    }

    private static ContextPropagator recording(String name, List<String> events) {
        return () -> {
            events.add("capture " + name);
            return () -> {
                events.add("restore " + name);
                return () -> events.add("close " + name);
            };
        };
    }

    @Test
    void aFailingPropagatorIsLeftOutAndTheOthersAndTheWorkStillRun() throws Exception {
        TENANT.set("acme");
        ContextPropagator brokenCapture = () -> {
            throw new IllegalStateException("capture fails");
        };
        ContextPropagator brokenRestore = () -> () -> {
            throw new IllegalStateException("restore fails");
        };
        ContextPropagator brokenClose = () -> () -> () -> {
            throw new IllegalStateException("close fails");
        };

        List<@Nullable Object> seen = runExchange(TENANT::get, brokenCapture, brokenRestore, brokenClose,
                ContextPropagator.threadLocal(TENANT));

        assertThat(seen).containsExactly("acme", "acme");
        assertThat(onPoolThread(TENANT::get)).isNull();
        assertThat(pool.completions).singleElement().extracting(Completion::outcome).isEqualTo(Outcome.COMPLETED);
    }

    @Test
    void propagatorsFoundByServiceLoaderApplyBeforeTheConfiguredOnesUnlessDiscoveryIsOff(@TempDir Path dir)
            throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ContextPropagator.class.getName()), TenantPropagator.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            ContextPropagator configured = () -> ContextPropagator.Snapshot.NONE;
            AfterResponseConfig config = AfterResponseConfig.builder().contextPropagators(configured).build();

            assertThat(ContextPropagation.of(config, loader).describe())
                    .isEqualTo("contextClassLoader, " + TenantPropagator.class.getName() + ", "
                            + configured.getClass().getName());
            assertThat(ContextPropagation.of(config.toBuilder().discoverContextPropagators(false).build(), loader)
                    .describe()).isEqualTo("contextClassLoader, " + configured.getClass().getName());
        }
    }

    @Test
    void aBrokenServiceEntryFailsStartUpNamingItAndTheSettingThatTurnsDiscoveryOff(@TempDir Path dir)
            throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ContextPropagator.class.getName()), "com.example.Missing\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> ContextPropagation.of(AfterResponseConfig.defaults(), loader))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("com.example.Missing")
                    .hasMessageContaining("discover-context-propagators");
            assertThat(ContextPropagation.of(AfterResponseConfig.builder().discoverContextPropagators(false).build(),
                    loader).describe()).isEqualTo("contextClassLoader");
        }
    }

    /** A propagator with a public no-argument constructor, as ServiceLoader and the init-param need. */
    public static final class TenantPropagator implements ContextPropagator {
        private final ContextPropagator delegate = ContextPropagator.threadLocal(TENANT);

        @Override
        public Snapshot capture() {
            return delegate.capture();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TenantPropagator;
        }

        @Override
        public int hashCode() {
            return TenantPropagator.class.hashCode();
        }
    }
}
