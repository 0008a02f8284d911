package io.github.afterresponse;

/**
 * The state of the client connection as PHP's {@code connection_status()} reports it, with PHP's
 * numbers: {@code 0} normal, {@code 1} aborted, {@code 2} timeout, {@code 3} both.
 *
 * <p>A status only ever gains flags: once aborted, an exchange stays aborted.
 */
public enum ConnectionStatus {
    /** The client is (as far as anyone knows) still there and no limit was hit. PHP value 0. */
    NORMAL(0),
    /** The client went away: a write or flush to it failed. PHP value 1. */
    ABORTED(1),
    /** The time limit of the background work expired. PHP value 2. */
    TIMEOUT(2),
    /** Both: the client went away and the time limit expired. PHP value 3. */
    ABORTED_AND_TIMEOUT(3);

    private static final ConnectionStatus[] BY_VALUE = values();

    private final int value;

    ConnectionStatus(int value) {
        this.value = value;
    }

    /** The PHP {@code connection_status()} number: 0, 1, 2 or 3. */
    public int value() {
        return value;
    }

    /** Whether the client went away (value 1 or 3). */
    public boolean isAborted() {
        return (value & ABORTED.value) != 0;
    }

    /** Whether the time limit expired (value 2 or 3). */
    public boolean isTimedOut() {
        return (value & TIMEOUT.value) != 0;
    }

    /** This status with the aborted flag added. */
    public ConnectionStatus withAborted() {
        return of(value | ABORTED.value);
    }

    /** This status with the timeout flag added. */
    public ConnectionStatus withTimeout() {
        return of(value | TIMEOUT.value);
    }

    /**
     * The status for a PHP {@code connection_status()} number.
     *
     * @throws IllegalArgumentException unless {@code value} is 0, 1, 2 or 3
     */
    public static ConnectionStatus of(int value) {
        if (value < 0 || value >= BY_VALUE.length) {
            throw new IllegalArgumentException("connection status must be 0, 1, 2 or 3, but was " + value);
        }
        return BY_VALUE[value];
    }
}
