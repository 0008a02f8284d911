package io.github.afterresponse.demo.war;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The long work the demo pretends to do, read from the request: {@code ?hold=<token>} waits until
 * the gate of that name is opened (at most {@link #HOLD_CAP}), otherwise {@code ?work=<ms>} sleeps
 * that long (at most {@link #MAX_WORK}, {@link #DEFAULT_WORK} when absent). The sleep stands for
 * work being done; nothing waits for it to end.
 *
 * @param holdToken the gate to wait on, or null to sleep instead
 * @param work how long to sleep when not holding
 */
public record SimulatedWork(String holdToken, Duration work) {

    /** The longest a held task waits for its gate. */
    public static final Duration HOLD_CAP = Duration.ofSeconds(60);
    /** The longest simulated work. */
    public static final Duration MAX_WORK = Duration.ofSeconds(30);
    /** The simulated work when the request names none. */
    public static final Duration DEFAULT_WORK = Duration.ofMillis(200);

    /**
     * Reads {@code hold} and {@code work} from the request, or answers 400 naming the parameter
     * (no exchange work is registered then).
     *
     * @return the work, or empty when the request was refused
     */
    static Optional<SimulatedWork> readOrRefuse(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        try {
            return Optional.of(from(request));
        } catch (IllegalArgumentException e) {
            Answers.badRequest(response, e);
            return Optional.empty();
        }
    }

    /**
     * Reads {@code hold} and {@code work} from the request.
     *
     * @throws IllegalArgumentException for a token that is not a gate name or a {@code work} that is
     *     not a number of milliseconds from 0 to {@link #MAX_WORK}
     */
    public static SimulatedWork from(HttpServletRequest request) {
        String hold = request.getParameter("hold");
        if (hold != null && !Gates.isValidToken(hold)) {
            throw new IllegalArgumentException("hold must be 1 to 64 of [A-Za-z0-9_-]");
        }
        String work = request.getParameter("work");
        Duration duration = DEFAULT_WORK;
        if (work != null) {
            long millis;
            try {
                millis = Long.parseLong(work);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("work must be milliseconds, 0 to " + MAX_WORK.toMillis());
            }
            if (millis < 0 || millis > MAX_WORK.toMillis()) {
                throw new IllegalArgumentException("work must be milliseconds, 0 to " + MAX_WORK.toMillis());
            }
            duration = Duration.ofMillis(millis);
        }
        return new SimulatedWork(hold, duration);
    }

    /**
     * Does the work on the calling thread.
     *
     * @throws InterruptedException when interrupted (time limit, shutdown): the work stops there
     * @throws java.util.concurrent.TimeoutException if the gate stayed closed for {@link #HOLD_CAP}
     */
    public void perform(Gates gates) throws InterruptedException, java.util.concurrent.TimeoutException {
        if (holdToken == null) {
            Thread.sleep(work.toMillis());
        } else if (!gates.await(holdToken, HOLD_CAP)) {
            throw new java.util.concurrent.TimeoutException("gate '" + holdToken + "' stayed closed for " + HOLD_CAP);
        }
    }

    /** What the work is, for responses and the status page. */
    public String describe() {
        return holdToken == null ? "work " + work.toMillis() + " ms" : "held on gate " + holdToken;
    }
}
