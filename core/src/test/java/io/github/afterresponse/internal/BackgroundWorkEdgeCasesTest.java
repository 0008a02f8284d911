package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.TaskContext;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of background work a review found broken in the first version (each test failed
 * then): a TaskContext outliving its job, work handed to a request thread during shutdown, "no
 * limit" written as a very long limit, an executor failing in an unexpected way, and a write that
 * fails because the time limit interrupted it.
 */
class BackgroundWorkEdgeCasesTest {

    private final List<Completion> completions = new CopyOnWriteArrayList<>();
    private final AtomicInteger ran = new AtomicInteger();
    private WorkScheduler scheduler;

    @AfterEach
    void stopTimer() {
        if (scheduler != null) {
            scheduler.timeLimits().shutdown();
        }
    }

    private Exchange exchange(AbortPolicy policy, Duration limit) {
        Exchange exchange = new Exchange("r-1", Clock.systemUTC(), completions::add, policy, limit);
        exchange.enterForeground();
        return exchange;
    }

    /**
     * A TaskContext kept by a thread the task started (or a lambda) must not write, after the job
     * ended and AsyncContext.complete() ran, into the real response, which the container may have
     * recycled for another client (on Jetty a late write goes into the next response): it is refused.
     */
    @Test
    void aTaskContextUsedAfterTheJobEndedDoesNotReachTheRecycledResponse() throws IOException {
        scheduler = new WorkScheduler(1, 0, new ContainerExecutor(), new TimeLimits("test"));
        RecordingResponse real = new RecordingResponse();
        Exchange exchange = exchange(AbortPolicy.CANCEL, Duration.ZERO);
        exchange.enterStreaming();
        ClientChannel channel = new ClientChannel(real, exchange.stop());
        AtomicReference<TaskContext> kept = new AtomicReference<>();
        exchange.then(task -> {
            kept.set(task);
            task.writer().println("progress");
        });
        FakeAsync async = new FakeAsync();
        BackgroundJob job = new BackgroundJob(exchange, exchange.servletReturnedStreaming(null), async, channel,
                StandardCharsets.UTF_8, scheduler);
        scheduler.submit(job);
        assertThat(completions).hasSize(1);
        assertThat(async.completes).as("the container has the response back").hasValue(1);
        int sent = real.body.size();

        assertThatThrownBy(() -> kept.get().writer().println("late"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has ended with its tasks");
        assertThatThrownBy(() -> kept.get().probe()).isInstanceOf(IllegalStateException.class);

        assertThat(real.body.size()).as("bytes written to the recycled response").isEqualTo(sent);
    }

    /**
     * Work handed to a request thread (non-async servlets, or startAsync failing) after destroy
     * began does not run, unsupervised, with the timer stopped: it ends SHUT_DOWN, as submit() does.
     */
    @Test
    void runHereAfterShutdownDoesNotRunTheTasks() {
        scheduler = new WorkScheduler(1, 1, new ContainerExecutor(), new TimeLimits("test"));
        scheduler.shutdown(Duration.ZERO); // nothing running: destroy() returns at once
        Exchange exchange = exchange(AbortPolicy.CANCEL, Duration.ZERO);
        exchange.then(task -> ran.incrementAndGet());
        BackgroundJob job = new BackgroundJob(exchange, exchange.responded(null), null, null,
                StandardCharsets.UTF_8, scheduler);

        scheduler.runHere(job);

        assertThat(ran).as("tasks run after shutdown").hasValue(0);
        assertThat(completions).singleElement().extracting(Completion::outcome).isEqualTo(Outcome.SHUT_DOWN);
    }

    /**
     * A very long limit (the ChronoUnit.FOREVER idiom for "none") must not overflow in
     * nanoseconds and fail the job before its tasks ran.
     */
    @Test
    void aVeryLongPerRequestTimeLimitStillRunsTheTasks() {
        scheduler = new WorkScheduler(1, 0, new ContainerExecutor(), new TimeLimits("test"));
        Exchange exchange = exchange(AbortPolicy.CANCEL, Duration.ZERO);
        exchange.then(task -> ran.incrementAndGet());
        exchange.timeLimit(ChronoUnit.FOREVER.getDuration());
        BackgroundJob job = new BackgroundJob(exchange, exchange.responded(null), null, null,
                StandardCharsets.UTF_8, scheduler);

        scheduler.runHere(job);

        assertThat(ran).hasValue(1);
        assertThat(completions).singleElement().extracting(Completion::outcome).isEqualTo(Outcome.COMPLETED);
    }

    /** C': the same from a task: TaskContext.timeLimit(long) throws and has already cancelled the old limit. */
    @Test
    void aVeryLongTaskTimeLimitIsAccepted() {
        scheduler = new WorkScheduler(1, 0, new ContainerExecutor(), new TimeLimits("test"));
        Exchange exchange = exchange(AbortPolicy.CANCEL, Duration.ZERO);
        exchange.then(task -> task.timeLimit(Duration.ofDays(365L * 1000)));
        BackgroundJob job = new BackgroundJob(exchange, exchange.responded(null), null, null,
                StandardCharsets.UTF_8, scheduler);

        scheduler.runHere(job);

        assertThat(completions).singleElement().extracting(Completion::outcome).isEqualTo(Outcome.COMPLETED);
    }

    /**
     * An executor failing with something other than RejectedExecutionException (a
     * ManagedExecutorService in a bad state) when the next job takes a freed slot must not lose that
     * job: it runs on the calling thread, its callbacks run and its slot frees.
     */
    @Test
    void anExecutorFailingOtherwiseThanRejectedExecutionDoesNotLoseTheNextJob() {
        AtomicInteger calls = new AtomicInteger();
        List<Runnable> accepted = new CopyOnWriteArrayList<>();
        Executor flaky = work -> {
            if (calls.incrementAndGet() > 1) {
                throw new IllegalStateException("executor is shutting down");
            }
            accepted.add(work);
        };
        scheduler = new WorkScheduler(1, 1, PoolExecutor.given(flaky, "flaky"), new TimeLimits("test"));
        Exchange first = exchange(AbortPolicy.CANCEL, Duration.ZERO);
        Exchange second = new Exchange("r-2", Clock.systemUTC(), completions::add, AbortPolicy.CANCEL,
                Duration.ZERO);
        second.enterForeground();
        scheduler.submit(new BackgroundJob(first, first.responded(null), null, null, StandardCharsets.UTF_8,
                scheduler));
        scheduler.submit(new BackgroundJob(second, second.responded(null), null, null, StandardCharsets.UTF_8,
                scheduler));
        assertThat(scheduler.queued()).isEqualTo(1);

        try {
            accepted.get(0).run(); // the pool thread runs the first job; ending it starts the second
        } catch (RuntimeException escaped) {
            // escapes the pool thread's runnable
        }

        assertThat(completions).extracting(Completion::exchangeId).contains("r-2");
        assertThat(scheduler.running()).isZero();
    }

    /**
     * The time limit interrupts a task blocked in a write; the container fails that write and its
     * stream stays broken (Jetty aborts the response), so ending the response fails too, after the
     * interrupt was cleared. Neither failure is the client's: the status is TIMEOUT, not 3.
     */
    @Test
    void aTimeoutDuringAWriteIsNotReportedAsAnAbort() {
        scheduler = new WorkScheduler(1, 0, new ContainerExecutor(), new TimeLimits("test"));
        Exchange exchange = exchange(AbortPolicy.CANCEL, Duration.ofMillis(100));
        exchange.enterStreaming();
        ClientChannel channel = new ClientChannel(breakingResponse(), exchange.stop());
        exchange.then(task -> task.outputStream().write("x".getBytes(StandardCharsets.UTF_8)));
        BackgroundJob job = new BackgroundJob(exchange, exchange.servletReturnedStreaming(null), null, channel,
                StandardCharsets.UTF_8, scheduler);

        scheduler.runHere(job);

        assertThat(completions).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(c.status()).isEqualTo(ConnectionStatus.TIMEOUT);
        });
    }

    /** A response whose blocking write is interrupted, after which the stream is broken. */
    private static HttpServletResponse breakingResponse() {
        ServletOutputStream stream = new ServletOutputStream() {
            private volatile boolean broken;

            @Override
            public void write(int b) throws IOException {
                if (broken) {
                    throw new IOException("closed");
                }
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    broken = true;
                    throw new InterruptedIOException("interrupted while blocked in write");
                }
            }

            @Override
            public void flush() throws IOException {
                if (broken) {
                    throw new IOException("closed");
                }
            }

            @Override
            public void close() throws IOException {
                if (broken) {
                    throw new IOException("closed");
                }
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(BackgroundWorkEdgeCasesTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getOutputStream")) {
                        return stream;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Runs started work at once; counts complete(). */
    private static final class FakeAsync implements AsyncContext {
        final AtomicInteger completes = new AtomicInteger();

        @Override public void complete() { completes.incrementAndGet(); }
        @Override public void start(Runnable run) { run.run(); }
        @Override public ServletRequest getRequest() { return null; }
        @Override public ServletResponse getResponse() { return null; }
        @Override public boolean hasOriginalRequestAndResponse() { return true; }
        @Override public void dispatch() { throw new UnsupportedOperationException(); }
        @Override public void dispatch(String path) { throw new UnsupportedOperationException(); }
        @Override public void dispatch(ServletContext context, String path) { throw new UnsupportedOperationException(); }
        @Override public void addListener(AsyncListener listener) { }
        @Override public void addListener(AsyncListener listener, ServletRequest q, ServletResponse s) { }
        @Override public <T extends AsyncListener> T createListener(Class<T> clazz) { throw new UnsupportedOperationException(); }
        @Override public void setTimeout(long timeout) { }
        @Override public long getTimeout() { return 0; }
    }
}
