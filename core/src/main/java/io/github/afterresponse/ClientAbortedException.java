package io.github.afterresponse;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Thrown by a write or flush to a client that has gone away, when the exchange's
 * {@link AbortPolicy} is {@link AbortPolicy#CANCEL}: the write that found the client gone throws it,
 * and so does every write after it.
 *
 * <p>It is unchecked so that it also leaves a {@code PrintWriter}, which swallows
 * {@link IOException}s, and so that it unwinds the servlet or task like PHP ends a script whose
 * client went away. The filter recognises it: an exchange it ends is reported as
 * {@link Outcome#CANCELLED}, not {@link Outcome#FAILED}, and no error page is attempted for a client
 * that cannot receive it. The cause is the container's own exception, where there was one.
 */
public final class ClientAbortedException extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    private final String exchangeId;

    /** Creates the exception for exchange {@code exchangeId}; the toolkit does this. */
    public ClientAbortedException(String exchangeId, IOException cause) {
        super("After Response: the client of exchange " + exchangeId + " has gone away; its output is cancelled", cause);
        this.exchangeId = exchangeId;
    }

    /** The exchange whose client went away. */
    public String exchangeId() {
        return exchangeId;
    }
}
