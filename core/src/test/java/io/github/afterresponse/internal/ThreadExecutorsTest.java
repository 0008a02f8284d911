package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.afterresponse.AfterResponseConfig;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The executors with threads of the filter's own: {@code platform} has as many threads as
 * {@code threads} says, however many exchanges {@code max-running} admits; {@code virtual} needs
 * Java 21, and says so naming the init-param.
 */
class ThreadExecutorsTest {

    @Test
    void aPlatformPoolHasItsThreadsAndNoMoreWhateverMaxRunningAdmits() throws InterruptedException {
        WorkExecutor executor = WorkExecutors.create(AfterResponseConfig.fromInitParameters(
                Map.of("executor", "platform", "max-running", "50", "threads", "3")), "f");
        WorkScheduler scheduler = new WorkScheduler(50, 0, executor, new TimeLimits("f"));
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch ended = new CountDownLatch(10);
        try {
            assertThat(executor.describe()).isEqualTo("3 platform threads after-response-f-<n>");
            for (int i = 0; i < 10; i++) {
                ExchangeTestSupport.submitOne(scheduler, () -> {
                    threads.add(Thread.currentThread());
                    started.countDown();
                    release.await();
                    ended.countDown();
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).as("three jobs started").isTrue();
            assertThat(threads).hasSize(3);
            release.countDown();
            assertThat(ended.await(10, TimeUnit.SECONDS)).as("all ten jobs ran").isTrue();
            assertThat(threads).hasSize(3).allSatisfy(thread -> assertThat(thread.getName()).startsWith("after-response-f-"));
        } finally {
            release.countDown();
            scheduler.timeLimits().shutdown();
            executor.shutdown();
        }
    }

    @Test
    void virtualThreadsBeforeJava21FailStartUpNamingTheInitParam() {
        assumeTrue(Runtime.version().feature() < 21, "this runtime has virtual threads");
        assertThatThrownBy(() -> WorkExecutors.create(AfterResponseConfig.fromInitParameters(
                Map.of("executor", "virtual")), "f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("init-param executor must be one this runtime has, but was 'virtual', and virtual threads "
                        + "need Java 21 or later (this is Java " + Runtime.version().feature() + "); use platform or "
                        + "dedicated");
    }

    @Test
    void virtualThreadsFromJava21() throws InterruptedException {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21");
        WorkExecutor executor = WorkExecutors.create(AfterResponseConfig.fromInitParameters(
                Map.of("executor", "virtual")), "f");
        WorkScheduler scheduler = new WorkScheduler(1, 0, executor, new TimeLimits("f"));
        CountDownLatch ran = new CountDownLatch(1);
        String[] name = new String[1];
        try {
            ExchangeTestSupport.submitOne(scheduler, () -> {
                name[0] = Thread.currentThread().toString();
                ran.countDown();
            });
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(name[0]).startsWith("VirtualThread").contains("after-response-f-");
        } finally {
            scheduler.timeLimits().shutdown();
            executor.shutdown();
        }
    }
}
