package io.github.afterresponse;

/**
 * What a {@link Task} may use once the response has been sent: an immutable copy of the request,
 * the exchange's id and its connection status.
 */
public interface TaskContext {

    /** The exchange's id, unique within the filter instance; also in the exchange's {@link Completion}. */
    String taskId();

    /** The immutable copy of the request, taken just before the response was sent. */
    RequestSnapshot request();

    /** The connection status now (PHP's {@code connection_status()}). */
    ConnectionStatus status();
}
