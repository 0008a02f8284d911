package io.github.afterresponse.spring.boot.it.app;

import io.github.afterresponse.ContextPropagator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A propagator found by {@code ServiceLoader} (test resources' META-INF/services): core applies
 * those before the configuration's, and closes them after, so this one sees the worker thread as
 * it is before the auto-configuration's propagators restore anything, and after they have closed.
 * Labelled with the request's {@code requestTag}.
 */
public class ThreadStateProbe implements ContextPropagator {

    /** The thread's MDC and user before ("before") or after ("after") one task or callback. */
    public record State(String label, String phase, String thread, Map<String, String> mdc, String user) {}

    private static final ConcurrentLinkedQueue<State> STATES = new ConcurrentLinkedQueue<>();

    public static List<State> states(String label) {
        return STATES.stream().filter(s -> s.label().equals(label)).toList();
    }

    @Override
    public Snapshot capture() {
        String label = MDC.get("requestTag");
        if (label == null) {
            return Snapshot.NONE;
        }
        return () -> {
            record(label, "before");
            return () -> record(label, "after");
        };
    }

    private static void record(String label, String phase) {
        SecurityContext context = SecurityContextHolder.getContext();
        Authentication authentication = context.getAuthentication();
        if (authentication == null) {
            SecurityContextHolder.clearContext(); // getContext() created it: leave the thread as it was
        }
        STATES.add(new State(label, phase, Thread.currentThread().getName(), MDC.getCopyOfContextMap(),
                authentication == null ? null : authentication.getName()));
    }
}
