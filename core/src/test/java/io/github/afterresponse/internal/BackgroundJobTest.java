package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.Task;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * A job runs exactly once and completes the exchange exactly once, whichever of the runnable given
 * to {@code AsyncContext.start} and the container's {@code onComplete} comes first; and once the
 * container has ended a response kept open for the tasks, nothing is written to it any more. The
 * integration tests cover the usual order on every container; the reverse order (Jetty after
 * sendError, under load; Tomcat after onError) is a race they cannot force, so it is pinned here.
 */
class BackgroundJobTest {

    private final AtomicInteger completes = new AtomicInteger();
    private final AtomicInteger runs = new AtomicInteger();
    private final List<Runnable> started = new ArrayList<>();
    private final List<Completion> completions = new CopyOnWriteArrayList<>();
    private final WorkScheduler scheduler = new WorkScheduler(1, 1, new ContainerExecutor(), new TimeLimits("test"));

    @AfterEach
    void stopTimer() {
        scheduler.timeLimits().shutdown();
    }

    private Exchange exchange() {
        Exchange exchange = new Exchange("j-1", Clock.systemUTC(), completions::add, AbortPolicy.CONTINUE,
                Duration.ZERO);
        exchange.enterForeground();
        exchange.then(task -> runs.incrementAndGet());
        return exchange;
    }

    private BackgroundJob submit(AsyncContext async) {
        Exchange exchange = exchange();
        List<Task> tasks = exchange.responded(null);
        BackgroundJob job = new BackgroundJob(exchange, tasks, async, null, StandardCharsets.UTF_8, scheduler);
        scheduler.submit(job);
        return job;
    }

    @Test
    void startedRunnableRunsTheWorkAndCompletes() {
        BackgroundJob job = submit(new CountingAsyncContext());
        started.forEach(Runnable::run);
        job.onComplete(null);
        assertThat(runs).hasValue(1);
        assertThat(completes).hasValue(1);
        assertThat(completions).singleElement().extracting(Completion::outcome).isEqualTo(Outcome.COMPLETED);
    }

    @Test
    void containerCompletingFirstRunsTheWorkFromOnComplete() {
        BackgroundJob job = submit(new CountingAsyncContext());
        job.onComplete(null);               // Jetty wrote its error page and completed; the started runnable is dropped
        assertThat(runs).hasValue(1);
        started.forEach(Runnable::run);     // had it run after all, it must not run the work twice
        assertThat(runs).hasValue(1);
        assertThat(completes).as("no complete() on an exchange the container completed").hasValue(0);
        assertThat(completions).hasSize(1);
    }

    @Test
    void errorsCompleteOnceOnly() {
        BackgroundJob job = submit(new CountingAsyncContext());
        job.onError(null);
        job.onTimeout(null);
        started.forEach(Runnable::run);
        assertThat(completes).hasValue(1);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aContainerRefusingToCompleteDoesNotStopTheWork() {
        submit(new CountingAsyncContext() {
            @Override
            public void complete() {
                throw new RuntimeException(new java.util.concurrent.RejectedExecutionException("worker shut down"));
            }
        });
        started.forEach(Runnable::run);
        assertThat(runs).hasValue(1);
        assertThat(completions).hasSize(1);
    }

    @Test
    void nothingIsWrittenToAResponseTheContainerEndedAfterAnError() {
        RecordingResponse real = new RecordingResponse();
        Exchange exchange = new Exchange("j-2", Clock.systemUTC(), completions::add, AbortPolicy.CONTINUE,
                Duration.ZERO);
        exchange.enterForeground();
        exchange.enterStreaming();
        ClientChannel channel = new ClientChannel(real, exchange.stop());
        exchange.then(task -> task.writer().println("after the error"));
        BackgroundJob job = new BackgroundJob(exchange, exchange.servletReturnedStreaming(null),
                new CountingAsyncContext(), channel, StandardCharsets.UTF_8, scheduler);
        scheduler.submit(job);

        job.onError(new jakarta.servlet.AsyncEvent(job.async(), new java.io.IOException("Connection reset by peer")));
        // Tomcat: the connection failed, and it completes the request itself
        started.forEach(Runnable::run);

        assertThat(real.body.size()).as("bytes written to the recycled response").isZero();
        assertThat(real.calls).doesNotContain("getOutputStream");
        assertThat(completions).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(ConnectionStatus.ABORTED);
            assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED);
        });
    }

    /** Counts complete() and keeps the runnables given to start(), for the test to run when it likes. */
    private class CountingAsyncContext implements AsyncContext {
        @Override
        public void complete() {
            completes.incrementAndGet();
        }

        @Override
        public ServletRequest getRequest() {
            return null; // only for an AsyncEvent, which keeps it
        }

        @Override
        public ServletResponse getResponse() {
            return null;
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return true;
        }

        @Override
        public void dispatch() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dispatch(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dispatch(ServletContext context, String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void start(Runnable run) {
            started.add(run);
        }

        @Override
        public void addListener(AsyncListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends AsyncListener> T createListener(Class<T> clazz) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setTimeout(long timeout) {
        }

        @Override
        public long getTimeout() {
            return 0;
        }
    }
}
