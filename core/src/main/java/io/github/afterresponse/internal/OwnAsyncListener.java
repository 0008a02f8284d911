package io.github.afterresponse.internal;

import io.github.afterresponse.Outcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import org.jspecify.annotations.Nullable;

/**
 * Ends an exchange whose servlet went asynchronous on its own when that processing ends. Called by
 * the container, on its threads.
 */
final class OwnAsyncListener implements AsyncListener {

    private final Exchange exchange;
    private volatile @Nullable Throwable failure;

    OwnAsyncListener(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        Throwable failed = failure;
        exchange.finish(failed == null ? Outcome.COMPLETED : Outcome.FAILED, failed);
    }

    @Override
    public void onError(AsyncEvent event) {
        failure = event.getThrowable();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // The container dispatches to its error handling and then completes: onComplete follows.
        exchange.stop().ownAsyncTimedOut();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        AsyncContext context = event.getAsyncContext();
        context.addListener(this); // a restarted asynchronous cycle forgets its listeners
    }
}
