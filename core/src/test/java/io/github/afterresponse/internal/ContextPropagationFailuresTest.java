package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ContextPropagator;
import io.github.afterresponse.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ContextPropagator SPI under failure: a propagator that throws, even an Error, is logged and
 * left out, and neither leaks the other contexts onto the pooled thread nor costs the task, a
 * callback or the admission place; warnings come once per propagator. Same harness as {@link ContextPropagationTest}: one exchange through the real scheduler
 * on a one-thread pool, then that thread is probed.
 */
class ContextPropagationFailuresTest {

    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

    private final OneThreadPool pool = new OneThreadPool();
    private final List<Completion> completions = pool.completions;

    @AfterEach
    void stop() throws InterruptedException {
        pool.close();
        TENANT.remove();
    }

    private <T> @Nullable T onPoolThread(Supplier<T> read) throws Exception {
        return pool.onThread(read);
    }

    /**
     * A Scope.close() that throws an Error (an assert, Kotlin's TODO()) is logged and left out: the
     * scopes restored before it (the tenant, the built-in class loader) still close, so the next
     * request the pooled thread serves does not find the previous tenant.
     */
    @Test
    void anErrorFromOneScopesCloseDoesNotLeaveTheOtherContextsOnThePooledThread() throws Exception {
        ClassLoader poolLoader = onPoolThread(() -> Thread.currentThread().getContextClassLoader());
        ContextPropagator closeFailsWithAnError = () -> () -> () -> {
            throw new AssertionError("close fails");
        };
        TENANT.set("acme");

        pool.run(TENANT::get, ContextPropagator.threadLocal(TENANT), closeFailsWithAnError);

        assertThat(onPoolThread(TENANT::get)).as("the request's tenant left on the pooled thread").isNull();
        assertThat(onPoolThread(() -> Thread.currentThread().getContextClassLoader()))
                .as("the pooled thread's own class loader").isSameAs(poolLoader);
        assertThat(completions).singleElement().extracting(Completion::outcome)
                .as("a propagator failure is not the work's failure").isEqualTo(Outcome.COMPLETED);
    }

    /**
     * The same for restore(): an Error from one propagator's restore leaves that context out, the
     * task and every callback still run with the others, and those others close afterwards.
     */
    @Test
    void anErrorFromOneRestoreDoesNotLeaveTheOtherContextsOnThePooledThread() throws Exception {
        ContextPropagator restoreFailsWithAnError = () -> () -> {
            throw new AssertionError("restore fails");
        };
        TENANT.set("acme");

        List<@Nullable Object> seen = pool.run(TENANT::get,
                ContextPropagator.threadLocal(TENANT), restoreFailsWithAnError);

        assertThat(onPoolThread(TENANT::get)).as("the request's tenant left on the pooled thread").isNull();
        assertThat(seen).as("the work still runs, without that context").containsExactly("acme", "acme");
    }

    /**
     * The filter's own last callback (ExchangeHandler.ended: counters, afterCompletion, then
     * scheduler.release()) runs too after a failed restore, so the admission place is given back:
     * otherwise, after max-running + queue-capacity such exchanges every request would be refused
     * with 503 until a redeploy. Here capacity is 1 (max-running 1, queue 0).
     */
    @Test
    void anErrorFromARestoreStillEndsTheExchangeAndFreesItsAdmissionPlace() throws Exception {
        WorkScheduler one = new WorkScheduler(1, 0, PoolExecutor.given(pool.pool, "one-thread pool"),
                new TimeLimits("test"));
        try {
            ContextPropagator restoreFailsWithAnError = () -> () -> {
                throw new AssertionError("restore fails");
            };
            ContextPropagation propagation = ContextPropagation.of(AfterResponseConfig.builder()
                    .contextPropagators(restoreFailsWithAnError).discoverContextPropagators(false).build(),
                    getClass().getClassLoader());
            List<Completion> filterSaw = new CopyOnWriteArrayList<>();
            // The filter's hook as ExchangeHandler.ended does it: the place is freed in its finally.
            Exchange exchange = new Exchange("x1", Clock.systemUTC(), completion -> {
                try {
                    filterSaw.add(completion);
                } finally {
                    one.release();
                }
            });
            exchange.enterForeground();
            exchange.then(context -> { });
            assertThat(one.admit()).isTrue();
            exchange.context(propagation.capture());
            one.submit(new BackgroundJob(exchange, exchange.responded(null), null, null, StandardCharsets.UTF_8, one));
            onPoolThread(() -> null); // the job has ended on the one thread

            assertThat(exchange.state()).isEqualTo(io.github.afterresponse.ExchangeState.DONE);
            assertThat(filterSaw).as("the filter's own callback (afterCompletion, monitor, release)").hasSize(1);
            assertThat(one.admit()).as("the next request is admitted").isTrue();
        } finally {
            one.timeLimits().shutdown();
        }
    }

    /**
     * ContextPropagation.capture() never throws, even for an Error from a propagator: it runs after
     * the response has been sent, and an escaping Error would drop the tasks and end the exchange
     * FAILED (shown end to end by ContextPropagationEdgesIT).
     */
    @Test
    void captureNeverThrowsEvenWhenAPropagatorThrowsAnError() {
        ContextPropagator captureFailsWithAnError = () -> {
            throw new AssertionError("capture fails");
        };
        ContextPropagation propagation = ContextPropagation.of(AfterResponseConfig.builder()
                .contextPropagators(captureFailsWithAnError).discoverContextPropagators(false).build(),
                getClass().getClassLoader());

        assertThatCode(propagation::capture).doesNotThrowAnyException();
    }

    /**
     * "logged (once per propagator class)": every propagator made by threadLocal() or of() is an
     * instance of the same synthetic lambda class, so once one of them has failed, a different one
     * failing later is only logged at DEBUG; and the WARNING names a lambda class, not which one.
     */
    @Test
    void twoDifferentPropagatorsMadeByOfAreWarnedAboutSeparately() {
        ContextPropagator mdc = ContextPropagator.of(() -> {
            throw new IllegalStateException("mdc broken");
        }, value -> { }, () -> { });
        ContextPropagator security = ContextPropagator.of(() -> {
            throw new IllegalStateException("security broken");
        }, value -> { }, () -> { });
        ContextPropagation propagation = ContextPropagation.of(AfterResponseConfig.builder()
                .contextPropagators(mdc, security).discoverContextPropagators(false).build(),
                getClass().getClassLoader());
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.github.afterresponse");
        logger.addHandler(handler);
        try {
            propagation.capture();
        } finally {
            logger.removeHandler(handler);
        }

        assertThat(warnings).extracting(r -> r.getThrown().getMessage())
                .as("a WARNING for each of the two distinct propagators that failed")
                .containsExactly("mdc broken", "security broken");
    }

    /**
     * A ThreadLocal with an initial value: get() on the pooled thread makes that value, and the
     * thread gets it back afterwards, as documented; what it gets back is never the request's.
     */
    @Test
    void aThreadLocalWithAnInitialValueGetsItBackNotTheRequestsValue() throws Exception {
        ThreadLocal<String> withInitial = ThreadLocal.withInitial(() -> "initial");
        withInitial.set("acme");

        List<@Nullable Object> seen = pool.run(withInitial::get, ContextPropagator.threadLocal(withInitial));

        assertThat(seen).containsExactly("acme", "acme");
        assertThat(onPoolThread(withInitial::get)).isEqualTo("initial");
    }

    /**
     * equals(): propagators compare with their own equals, so two readings of the same init-params
     * are equal when the named class defines it (ContextPropagationTest.TenantPropagator does), and not otherwise (documented on equals).
     */
    @Test
    void theSameInitParamsGiveEqualConfigurationsWhenThePropagatorDefinesEquals() {
        Map<String, String> comparable = Map.of("context-propagators", ContextPropagationTest.TenantPropagator.class.getName());
        Map<String, String> plain = Map.of("context-propagators", Tenant.class.getName());

        assertThat(AfterResponseConfig.fromInitParameters(comparable))
                .isEqualTo(AfterResponseConfig.fromInitParameters(comparable))
                .hasSameHashCodeAs(AfterResponseConfig.fromInitParameters(comparable));
        assertThat(AfterResponseConfig.fromInitParameters(plain)).isNotEqualTo(AfterResponseConfig.fromInitParameters(plain));
    }

    public static final class Tenant implements ContextPropagator {
        private final ContextPropagator delegate = ContextPropagator.threadLocal(TENANT);

        @Override
        public Snapshot capture() {
            return delegate.capture();
        }
    }
}
