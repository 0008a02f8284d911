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
import org.jspecify.annotations.Nullable;

/**
 * What {@link AfterResponse#of} gives the servlet: its request's exchange, the response output that
 * {@link #stream()} switches, and what {@link #finish()} does. It lives as long as the request and
 * its wrappers do; the exchange, which the background work keeps, has no way back to it, so nothing
 * of the response stays reachable from the work.
 */
final class ExchangeFacade implements AfterResponse {

    private final Exchange exchange;
    /** What only the servlet can use while it runs; let go when it returns (see {@link #release()}). */
    private volatile @Nullable ServletSide servlet;

    /** The response output and the finishing, which lead to the request, the response and the handler. */
    private record ServletSide(ResponseOutput output, FinishEarly finishing) {
    }

    ExchangeFacade(Exchange exchange, ResponseOutput output, FinishEarly finishing) {
        this.exchange = exchange;
        this.servlet = new ServletSide(output, finishing);
    }

    /**
     * The servlet has returned: {@link #stream()} and {@link #finish()} can no longer apply, so the
     * facade lets go of what leads to the response and the request. A task that captured it keeps
     * only the exchange reachable.
     */
    void release() {
        servlet = null;
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
        ServletSide side = servlet;
        if (side == null) {
            throw tooLate("stream()");
        }
        try {
            side.output().startStreaming(); // outside the exchange's lock: it writes to the client
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange.keepOpenForTasks();
        return this;
    }

    @Override
    public AfterResponse finish() {
        ServletSide side = servlet;
        if (side == null) {
            exchange.checkFinishAllowed(); // throws, naming the state
            throw tooLate("finish()");
        }
        side.finishing().finish();
        return this;
    }

    @Override
    public AfterResponse abortPolicy(AbortPolicy policy) {
        ServletSide side = servlet;
        if (side == null || !side.finishing().abortPolicy(policy)) {
            exchange.abortPolicy(policy);
        }
        return this;
    }

    @Override
    public AfterResponse timeLimit(Duration limit) {
        ServletSide side = servlet;
        if (side == null || !side.finishing().timeLimit(limit)) {
            exchange.timeLimit(limit);
        }
        return this;
    }

    private IllegalStateException tooLate(String what) {
        return new IllegalStateException("After Response: too late to call " + what + " on exchange " + exchange.id()
                + ", which is " + exchange.state() + "; its servlet has returned");
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
