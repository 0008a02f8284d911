package io.github.afterresponse.internal;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.ClientAbortedException;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.Outcome;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Whether an exchange's work should stop, and why: the connection status (PHP's
 * {@code connection_status()}), the abort policy that decides what a vanished client means, the
 * toolkit's and the web application's requests to stop, and the thread to interrupt for them.
 * Flags only ever go on; every method may be called from any thread.
 */
final class StopSignal {

    private static final System.Logger LOG = Log.LOGGER;

    private final String exchangeId;
    private final AtomicReference<ConnectionStatus> status = new AtomicReference<>(ConnectionStatus.NORMAL);
    private final WorkerThread worker = new WorkerThread();
    private volatile AbortPolicy abortPolicy;
    /** The toolkit stopped the work: time limit, or a vanished client under the cancel policy. */
    private volatile boolean cutShort;
    /** The web application stopped the work. */
    private volatile boolean shutDown;

    StopSignal(String exchangeId, AbortPolicy abortPolicy) {
        this.exchangeId = exchangeId;
        this.abortPolicy = abortPolicy;
    }

    String exchangeId() {
        return exchangeId;
    }

    ConnectionStatus status() {
        return status.get();
    }

    AbortPolicy abortPolicy() {
        return abortPolicy;
    }

    void abortPolicy(AbortPolicy policy) {
        abortPolicy = policy;
    }

    WorkerThread worker() {
        return worker;
    }

    /** Whether the toolkit or the web application asked the work to stop. */
    boolean isStopRequested() {
        return cutShort || shutDown;
    }

    /** The time limit ran out: status gains TIMEOUT, the work is cut short and its thread interrupted. */
    void timedOut() {
        status.updateAndGet(ConnectionStatus::withTimeout);
        cutShort = true;
        worker.interrupt();
    }

    /** The servlet's own asynchronous processing timed out: status gains TIMEOUT, nothing is interrupted. */
    void ownAsyncTimedOut() {
        status.updateAndGet(ConnectionStatus::withTimeout);
    }

    /** The web application stops: the work is cut short and its thread interrupted. */
    void shutDown() {
        shutDown = true;
        worker.interrupt();
    }

    /**
     * A write to the client failed, or the container reported the connection lost: status gains
     * ABORTED; under the cancel policy the work is cut short and the task's thread interrupted
     * (the servlet's own thread is never interrupted: it is the container's).
     */
    void clientGone(IOException cause) {
        ConnectionStatus before = status.getAndUpdate(ConnectionStatus::withAborted);
        if (!before.isAborted()) {
            LOG.log(Level.DEBUG, () -> "After Response: the client of exchange " + exchangeId + " went away: " + cause);
        }
        if (abortPolicy == AbortPolicy.CANCEL) {
            cutShort = true;
            worker.interrupt();
        }
    }

    /**
     * Under the cancel policy, once the client is gone, throws {@link ClientAbortedException}; under
     * the continue policy returns, and the caller drops its output.
     */
    void throwIfCancelled(@Nullable IOException cause) {
        if (status.get().isAborted() && abortPolicy == AbortPolicy.CANCEL) {
            throw new ClientAbortedException(exchangeId, cause != null ? cause
                    : new IOException("the client went away earlier"));
        }
    }

    /** How work that ended with {@code failure} (null: it returned) is reported. */
    Outcome outcomeOf(@Nullable Throwable failure) {
        if (shutDown) {
            return Outcome.SHUT_DOWN;
        }
        if (cutShort || failure instanceof ClientAbortedException) {
            return Outcome.CANCELLED;
        }
        return failure == null ? Outcome.COMPLETED : Outcome.FAILED;
    }
}
