package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.ContextPropagator;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.util.List;
import org.springframework.util.ClassUtils;

/**
 * Carries every context that Micrometer's context-propagation library can read off a thread: each
 * {@link ThreadLocalAccessor} of the global {@link ContextRegistry} (those registered through
 * {@code ServiceLoader}: micrometer-observation's {@code ObservationThreadLocalAccessor}, and with it
 * the trace; Spring Security's {@code SecurityContextHolderThreadLocalAccessor}; and any an
 * application registered), plus SLF4J's MDC through {@link Slf4jThreadLocalAccessor}, which no jar
 * registers by itself. Those accessors are copied into a registry of this propagator's own when it
 * is created, so the global registry is left as it was.
 *
 * <p>{@link #capture()} runs on the request thread, once per exchange with background work; the
 * snapshot is restored around each task and callback on the thread that runs it, with
 * {@code clearMissing}: what the request thread did not have is cleared for the task, and closing
 * the scope puts back what the thread had before (on a pooled thread, nothing), so nothing of one
 * task is left for the next one on the same thread.
 */
final class MicrometerContextPropagator implements ContextPropagator {

    private final ContextSnapshotFactory factory;
    private final List<Object> keys;

    MicrometerContextPropagator() {
        ContextRegistry registry = new ContextRegistry();
        for (ThreadLocalAccessor<?> accessor : ContextRegistry.getInstance().getThreadLocalAccessors()) {
            registry.registerThreadLocalAccessor(accessor);
        }
        boolean hasMdc = registry.getThreadLocalAccessors().stream()
                .anyMatch(accessor -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()));
        if (!hasMdc && ClassUtils.isPresent("org.slf4j.MDC", MicrometerContextPropagator.class.getClassLoader())) {
            registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
        }
        this.keys = registry.getThreadLocalAccessors().stream().map(ThreadLocalAccessor::key).map(Object.class::cast).toList();
        this.factory = ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
    }

    @Override
    public Snapshot capture() {
        ContextSnapshot snapshot = factory.captureAll();
        return () -> {
            ContextSnapshot.Scope scope = snapshot.setThreadLocals();
            return scope::close;
        };
    }

    @Override
    public String toString() {
        return "Micrometer context-propagation " + keys;
    }
}
