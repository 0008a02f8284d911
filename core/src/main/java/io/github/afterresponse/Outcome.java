package io.github.afterresponse;

/** How an exchange ended. Exactly one outcome is reported per exchange, in its {@link Completion}. */
public enum Outcome {
    /** The servlet returned normally and every task ran to its end (or there were none). */
    COMPLETED,
    /**
     * The servlet or a task threw; {@link Completion#failure()} holds the exception. When the
     * servlet threw, no task ran; when a task threw, the tasks after it did not run.
     */
    FAILED,
    /**
     * The toolkit stopped the work before it could finish: the client went away under
     * {@link AbortPolicy#CANCEL}, or the time limit ran out ({@link Completion#status()} says which).
     */
    CANCELLED,
    /** The request was refused before the servlet ran (admission limit reached); nothing ran. */
    REJECTED,
    /**
     * The web application stopped before the work could finish: it was waiting for a slot and never
     * ran, or it still ran after the shutdown grace period and was interrupted.
     */
    SHUT_DOWN
}
