package io.github.afterresponse.demo.war;

import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Named one-shot gates: held work waits on one until a client opens it over HTTP
 * ({@code POST /control/release?token=…}). Opening first and waiting afterwards works too. A gate
 * is forgotten once its waiter has passed, so the map stays small; it holds at most
 * {@value #MAX_GATES} gates. Thread-safe; one instance per web application, in the servlet context.
 */
public final class Gates {

    /** At most this many gates exist at once; more are refused. */
    public static final int MAX_GATES = 1_000;

    private static final String ATTRIBUTE = Gates.class.getName();
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ConcurrentHashMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    /** Creates the application's gates and keeps them in the servlet context. */
    static Gates install(ServletContext context) {
        Gates gates = new Gates();
        context.setAttribute(ATTRIBUTE, gates);
        return gates;
    }

    /**
     * The application's gates.
     *
     * @throws IllegalStateException if {@link DemoSetup} did not run
     */
    public static Gates of(ServletContext context) {
        return Objects.requireNonNull((Gates) context.getAttribute(ATTRIBUTE), "Gates not installed: DemoSetup did not run");
    }

    /** Whether the token is a valid gate name: 1 to 64 letters, digits, {@code _} or {@code -}. */
    public static boolean isValidToken(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    /**
     * Waits until the gate is opened or the cap runs out, and forgets it.
     *
     * @return true if it was opened, false if the cap ran out first
     * @throws InterruptedException if the thread is interrupted (the time limit or a shutdown)
     * @throws IllegalArgumentException for an invalid token
     * @throws IllegalStateException if {@value #MAX_GATES} gates exist already
     */
    public boolean await(String token, Duration cap) throws InterruptedException {
        CountDownLatch gate = gate(token);
        try {
            return gate.await(cap.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            gates.remove(token, gate);
        }
    }

    /**
     * Opens the gate, waking its waiter, or letting the next one pass at once.
     *
     * @throws IllegalArgumentException for an invalid token
     * @throws IllegalStateException if {@value #MAX_GATES} gates exist already
     */
    public void release(String token) {
        gate(token).countDown();
    }

    private CountDownLatch gate(String token) {
        if (!isValidToken(token)) {
            throw new IllegalArgumentException("token must be 1 to 64 of [A-Za-z0-9_-], but was '" + token + "'");
        }
        CountDownLatch existing = gates.get(token);
        if (existing != null) {
            return existing;
        }
        if (gates.size() >= MAX_GATES) {
            throw new IllegalStateException("too many open gates (" + MAX_GATES + ")");
        }
        return gates.computeIfAbsent(token, name -> new CountDownLatch(1));
    }
}
