package io.github.afterresponse.internal;

import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.TaskContext;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** The {@link TaskContext} of one exchange's background work. */
final class JobContext implements TaskContext {

    private final Exchange exchange;
    private final TimeLimits.Limit limit;
    private final TaskOutput output;
    private final BooleanSupplier shuttingDown;

    JobContext(Exchange exchange, TimeLimits.Limit limit, TaskOutput output, BooleanSupplier shuttingDown) {
        this.exchange = exchange;
        this.limit = limit;
        this.output = output;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public String exchangeId() {
        return exchange.id();
    }

    @Override
    public RequestSnapshot request() {
        return Objects.requireNonNull(exchange.snapshotOrNull(), "the snapshot is taken before tasks run");
    }

    @Override
    public ConnectionStatus status() {
        return exchange.status();
    }

    @Override
    public boolean isClientConnected() {
        return !exchange.status().isAborted();
    }

    @Override
    public boolean probe() {
        return output.probe(exchange);
    }

    @Override
    public PrintWriter writer() {
        return output.writer();
    }

    @Override
    public OutputStream outputStream() {
        return output.outputStream();
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(limit.deadline());
    }

    @Override
    public void timeLimit(Duration timeLimit) {
        limit.set(Exchange.checkTimeLimit(timeLimit));
    }

    @Override
    public void progress(long done, long total) {
        exchange.progress().set(done, total);
    }

    @Override
    public boolean shouldStop() {
        return exchange.stop().isStopRequested() || shuttingDown.getAsBoolean();
    }
}
