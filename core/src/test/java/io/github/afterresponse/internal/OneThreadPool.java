package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ContextPropagator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The real scheduler and job on a pool of one thread, so that the thread that ran an exchange's
 * task and callbacks is the one a test probes afterwards.
 */
final class OneThreadPool implements AutoCloseable {

    final ExecutorService pool = Executors.newSingleThreadExecutor();
    /** What the filter's own callback saw. */
    final List<Completion> completions = new CopyOnWriteArrayList<>();
    final WorkScheduler scheduler = new WorkScheduler(1, 4, PoolExecutor.given(pool, "one-thread pool"),
            new TimeLimits("test"));

    /** Reads a thread-bound value on the pool's thread, outside any exchange. */
    <T> @Nullable T onThread(Supplier<T> read) throws Exception {
        return CompletableFuture.supplyAsync(read, pool).get(10, TimeUnit.SECONDS);
    }

    /**
     * Captures with {@code propagators} on the calling thread (the request thread), runs one
     * exchange whose task and callback record {@code read} on the pool's thread, waits until that
     * thread has ended the job (the filter's callback included), and returns what the task and the
     * callback saw, in that order.
     */
    List<@Nullable Object> run(Supplier<@Nullable Object> read, ContextPropagator... propagators) throws Exception {
        AfterResponseConfig config = AfterResponseConfig.builder().contextPropagators(propagators)
                .discoverContextPropagators(false).build();
        ContextPropagation propagation = ContextPropagation.of(config, getClass().getClassLoader());
        List<@Nullable Object> seen = new CopyOnWriteArrayList<>();
        Exchange exchange = new Exchange("x1", Clock.systemUTC(), completions::add);
        exchange.enterForeground();
        exchange.then(context -> seen.add(read.get()));
        exchange.onComplete(completion -> seen.add(read.get()));
        assertThat(scheduler.admit()).isTrue();
        exchange.context(propagation.capture());
        scheduler.submit(new BackgroundJob(exchange, exchange.responded(null), null, null, StandardCharsets.UTF_8,
                scheduler));
        onThread(() -> null); // the one thread has ended the job: it runs the job in one go
        return seen;
    }

    @Override
    public void close() throws InterruptedException {
        scheduler.timeLimits().shutdown();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
}
