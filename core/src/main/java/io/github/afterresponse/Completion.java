package io.github.afterresponse;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How one exchange ended, as handed to every {@link CompletionCallback}: its id, connection status,
 * outcome, failure and timings. Immutable.
 */
public final class Completion {

    private final String exchangeId;
    private final ConnectionStatus status;
    private final Outcome outcome;
    private final @Nullable Throwable failure;
    private final Instant acceptedAt;
    private final @Nullable Instant respondedAt;
    private final Instant finishedAt;

    /**
     * Creates a completion; the toolkit does this, user code needs it only in tests.
     *
     * @throws IllegalArgumentException if the outcome is {@link Outcome#FAILED} without a failure,
     *     or the instants are out of order
     */
    public Completion(
            String exchangeId,
            ConnectionStatus status,
            Outcome outcome,
            @Nullable Throwable failure,
            Instant acceptedAt,
            @Nullable Instant respondedAt,
            Instant finishedAt) {
        this.exchangeId = Objects.requireNonNull(exchangeId, "exchangeId");
        this.status = Objects.requireNonNull(status, "status");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.failure = failure;
        this.acceptedAt = Objects.requireNonNull(acceptedAt, "acceptedAt");
        this.respondedAt = respondedAt;
        this.finishedAt = Objects.requireNonNull(finishedAt, "finishedAt");
        if (outcome == Outcome.FAILED && failure == null) {
            throw new IllegalArgumentException("a FAILED completion must carry its failure, but it was null");
        }
        Instant afterAccept = respondedAt == null ? acceptedAt : respondedAt;
        if (afterAccept.isBefore(acceptedAt) || finishedAt.isBefore(afterAccept)) {
            throw new IllegalArgumentException("instants must be accepted <= responded <= finished, but were "
                    + acceptedAt + ", " + respondedAt + ", " + finishedAt);
        }
    }

    /** The exchange's id, as {@link TaskContext#exchangeId()} and {@link AfterResponse#exchangeId()} give it. */
    public String exchangeId() {
        return exchangeId;
    }

    /** The connection status at the end (PHP's {@code connection_status()}). */
    public ConnectionStatus status() {
        return status;
    }

    /** How the exchange ended. */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * The exception that ended the work: always present when the outcome says FAILED; also present
     * when work that was CANCELLED or SHUT_DOWN ended by throwing (typically the
     * {@link ClientAbortedException} or {@link InterruptedException} of the stop).
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** When the filter accepted the request. */
    public Instant acceptedAt() {
        return acceptedAt;
    }

    /**
     * When the response had been sent in full; empty if it never was by the toolkit (the servlet
     * threw, or the request was rejected).
     */
    public Optional<Instant> respondedAt() {
        return Optional.ofNullable(respondedAt);
    }

    /** When the exchange finished, just before the callbacks ran. */
    public Instant finishedAt() {
        return finishedAt;
    }

    /** How long the client waited: accepted to responded; empty when the toolkit sent no response. */
    public Optional<Duration> responseTime() {
        return respondedAt().map(responded -> Duration.between(acceptedAt, responded));
    }

    /** How long the background work took: responded to finished; zero when nothing was sent. */
    public Duration backgroundTime() {
        return respondedAt == null ? Duration.ZERO : Duration.between(respondedAt, finishedAt);
    }

    @Override
    public String toString() {
        return "Completion[" + exchangeId + ", status " + status.value() + " " + status + ", " + outcome
                + (failure == null ? "" : ", failure " + failure)
                + ", response " + responseTime().map(Duration::toString).orElse("none")
                + ", background " + backgroundTime() + "]";
    }
}
