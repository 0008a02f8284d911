package io.github.afterresponse;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AfterResponseMonitor#tasks()} says about one exchange with background work, at the
 * moment it was asked. Immutable.
 */
public final class TaskInfo {

    private final String exchangeId;
    private final ExchangeState state;
    private final boolean queued;
    private final String method;
    private final String requestUri;
    private final Instant acceptedAt;
    private final @Nullable Instant startedAt;
    private final Duration age;
    private final long done;
    private final long total;
    private final ConnectionStatus status;

    /** Created by the toolkit. */
    public TaskInfo(String exchangeId, ExchangeState state, boolean queued, String method, String requestUri, Instant acceptedAt,
            @Nullable Instant startedAt, Duration age, long done, long total, ConnectionStatus status) {
        this.exchangeId = Objects.requireNonNull(exchangeId, "exchangeId");
        this.state = Objects.requireNonNull(state, "state");
        this.queued = queued;
        this.method = Objects.requireNonNull(method, "method");
        this.requestUri = Objects.requireNonNull(requestUri, "requestUri");
        this.acceptedAt = Objects.requireNonNull(acceptedAt, "acceptedAt");
        this.startedAt = startedAt;
        this.age = Objects.requireNonNull(age, "age");
        this.done = done;
        this.total = total;
        this.status = Objects.requireNonNull(status, "status");
    }

    public String exchangeId() {
        return exchangeId;
    }

    /**
     * Where the exchange is: {@link ExchangeState#RESPONDED} while its work waits for a free slot
     * after a response sent whole, {@link ExchangeState#RUNNING} while the work runs, and also while
     * a streamed response (see {@link AfterResponse#stream()}) waits for its slot.
     */
    public ExchangeState state() {
        return state;
    }

    /** Whether the work waits for a free slot. */
    public boolean isQueued() {
        return queued;
    }

    /** The request's method. */
    public String method() {
        return method;
    }

    /** The request's URI, without the query string. */
    public String requestUri() {
        return requestUri;
    }

    /** When the filter accepted the request. */
    public Instant acceptedAt() {
        return acceptedAt;
    }

    /** When the background work started; empty while it is queued. */
    public Optional<Instant> startedAt() {
        return Optional.ofNullable(startedAt);
    }

    /** How long ago the filter accepted the request. */
    public Duration age() {
        return age;
    }

    /** Units of work done, as last reported through {@link TaskContext#progress}; 0 if never. */
    public long done() {
        return done;
    }

    /** Units of work in all, as last reported through {@link TaskContext#progress}; -1 if unknown. */
    public long total() {
        return total;
    }

    /** The connection status now. */
    public ConnectionStatus status() {
        return status;
    }

    @Override
    public String toString() {
        return exchangeId + " " + (queued ? "QUEUED" : state) + " " + method + " " + requestUri + " age " + age
                + " progress " + done + "/" + (total < 0 ? "?" : Long.toString(total)) + " status " + status.value();
    }
}
