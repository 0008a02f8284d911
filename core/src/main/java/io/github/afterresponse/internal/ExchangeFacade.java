package io.github.afterresponse.internal;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.CompletionCallback;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.ExchangeState;
import io.github.afterresponse.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * What {@link AfterResponse#of} gives the servlet: its request's exchange, the response output that
 * {@link #stream()} switches, and what {@link #finish()} does. It lives as long as the request and
 * its wrappers do; the exchange, which the background work keeps, has no way back to it, so nothing
 * of the response stays reachable from the work.
 */
final class ExchangeFacade implements AfterResponse {

    private final Exchange exchange;
    private final ResponseOutput output;
    private final FinishEarly finishing;

    ExchangeFacade(Exchange exchange, ResponseOutput output, FinishEarly finishing) {
        this.exchange = exchange;
        this.output = output;
        this.finishing = finishing;
    }

    Exchange exchange() {
        return exchange;
    }

    @Override
    public AfterResponse then(Task task) {
        exchange.then(task);
        return this;
    }

    @Override
    public AfterResponse onComplete(CompletionCallback callback) {
        exchange.onComplete(callback);
        return this;
    }

    @Override
    public AfterResponse stream() {
        exchange.checkStreamAllowed();
        try {
            output.startStreaming(); // outside the exchange's lock: it writes to the client
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange.keepOpenForTasks();
        return this;
    }

    @Override
    public AfterResponse finish() {
        finishing.finish();
        return this;
    }

    @Override
    public AfterResponse abortPolicy(AbortPolicy policy) {
        if (!finishing.abortPolicy(policy)) {
            exchange.abortPolicy(policy);
        }
        return this;
    }

    @Override
    public AfterResponse timeLimit(Duration limit) {
        if (!finishing.timeLimit(limit)) {
            exchange.timeLimit(limit);
        }
        return this;
    }

    @Override
    public String exchangeId() {
        return exchange.id();
    }

    @Override
    public ExchangeState state() {
        return exchange.state();
    }

    @Override
    public ConnectionStatus status() {
        return exchange.status();
    }

    @Override
    public String toString() {
        return exchange.toString();
    }
}
