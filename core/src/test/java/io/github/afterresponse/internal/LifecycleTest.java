package io.github.afterresponse.internal;

import static io.github.afterresponse.ExchangeState.ACCEPTED;
import static io.github.afterresponse.ExchangeState.DONE;
import static io.github.afterresponse.ExchangeState.FOREGROUND;
import static io.github.afterresponse.ExchangeState.REJECTED;
import static io.github.afterresponse.ExchangeState.RESPONDED;
import static io.github.afterresponse.ExchangeState.RUNNING;
import static io.github.afterresponse.ExchangeState.STREAMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.ExchangeState;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void walksTheMainPath() {
        Lifecycle lifecycle = new Lifecycle();
        assertThat(lifecycle.get()).isEqualTo(ACCEPTED);
        for (ExchangeState next : List.of(FOREGROUND, STREAMING, RESPONDED, RUNNING, DONE)) {
            lifecycle.moveTo(next);
            assertThat(lifecycle.get()).isEqualTo(next);
        }
    }

    @Test
    void allowsTheShortcutsOfTheDiagram() {
        assertPath(FOREGROUND, RESPONDED, DONE);       // no tasks
        assertPath(FOREGROUND, DONE);                  // servlet threw
        assertPath(FOREGROUND, STREAMING, DONE);       // servlet threw while streaming
        assertPath(REJECTED, DONE);                    // refused before the servlet ran
    }

    private static void assertPath(ExchangeState... path) {
        Lifecycle lifecycle = new Lifecycle();
        for (ExchangeState next : path) {
            lifecycle.moveTo(next);
        }
        assertThat(lifecycle.get()).isEqualTo(path[path.length - 1]);
    }

    @Test
    void refusesIllegalMovesQuotingTheCurrentState() {
        Lifecycle lifecycle = new Lifecycle();
        assertThatThrownBy(() -> lifecycle.moveTo(RUNNING))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("an exchange in state ACCEPTED cannot move to RUNNING; it can move to [REJECTED, FOREGROUND]");
        lifecycle.moveTo(FOREGROUND);
        lifecycle.moveTo(RESPONDED);
        assertThatThrownBy(() -> lifecycle.moveTo(FOREGROUND)).hasMessageStartingWith("an exchange in state RESPONDED");
        lifecycle.moveTo(DONE);
        assertThatThrownBy(() -> lifecycle.moveTo(DONE))
                .hasMessage("an exchange in state DONE cannot move to DONE; it can move to nothing");
        assertThat(lifecycle.get()).isEqualTo(DONE);
    }

    @Test
    void exactlyOneOfManyRacingThreadsEndsTheExchange() throws Exception {
        int threads = 8;
        for (int round = 0; round < 200; round++) {
            Lifecycle lifecycle = new Lifecycle();
            lifecycle.moveTo(FOREGROUND);
            lifecycle.moveTo(RESPONDED);
            AtomicInteger winners = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new java.util.ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        try {
                            lifecycle.moveTo(DONE);
                            winners.incrementAndGet();
                        } catch (IllegalStateException lost) {
                            // another thread ended it
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(10, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(winners).hasValue(1);
        }
    }

    @Test
    void liveStatesAreTheOnesBeforeTheResponse() {
        assertThat(ExchangeState.values())
                .filteredOn(ExchangeState::isLive)
                .containsExactly(ACCEPTED, FOREGROUND, STREAMING);
    }
}
