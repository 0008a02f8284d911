package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The background work runs exactly once and the exchange is completed exactly once, whichever of
 * the started runnable and the container's onComplete comes first. The integration tests cover
 * the normal order on every container; the reverse order (Jetty after sendError, under load) is
 * a race they cannot force, so it is pinned here.
 */
class HandoffTest {

    private final AtomicInteger completes = new AtomicInteger();
    private final AtomicInteger runs = new AtomicInteger();
    private final BackgroundLauncher.Handoff handoff =
            new BackgroundLauncher.Handoff(new CountingAsyncContext(), runs::incrementAndGet);

    @Test
    void startedRunnableRunsTheWorkAndCompletes() {
        handoff.runStarted();
        handoff.onComplete(null);
        assertThat(runs).hasValue(1);
        assertThat(completes).hasValue(1);
    }

    @Test
    void containerCompletingFirstRunsTheWorkFromOnComplete() {
        handoff.onComplete(null); // Jetty wrote its error page and completed; the started runnable is dropped
        assertThat(runs).hasValue(1);
        handoff.runStarted();     // had it run after all, it must not run the work twice
        assertThat(runs).hasValue(1);
        assertThat(completes).as("no complete() on an exchange the container completed").hasValue(0);
    }

    @Test
    void errorsCompleteOnceOnly() {
        handoff.onError(null);
        handoff.onTimeout(null);
        handoff.runStarted();
        assertThat(completes).hasValue(1);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aContainerRefusingToCompleteDoesNotStopTheWork() {
        BackgroundLauncher.Handoff refusing = new BackgroundLauncher.Handoff(new CountingAsyncContext() {
            @Override
            public void complete() {
                throw new RuntimeException(new java.util.concurrent.RejectedExecutionException("worker shut down"));
            }
        }, runs::incrementAndGet);
        refusing.runStarted();
        assertThat(runs).hasValue(1);
    }

    /** Counts complete(); nothing else of an AsyncContext is used by the handoff. */
    private class CountingAsyncContext implements AsyncContext {
        @Override
        public void complete() {
            completes.incrementAndGet();
        }

        @Override
        public ServletRequest getRequest() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServletResponse getResponse() {
            throw new UnsupportedOperationException();
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
            throw new UnsupportedOperationException();
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
