package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.ContextPropagator;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.util.Iterator;
import java.util.List;
import org.springframework.util.ClassUtils;

/**
 * Carries every context that Micrometer's context-propagation library can read off a thread: each
 * {@link ThreadLocalAccessor} of the global {@link ContextRegistry} (those registered through
 * {@code ServiceLoader}: micrometer-observation's {@code ObservationThreadLocalAccessor}, and with it
 * the trace; Spring Security's {@code SecurityContextHolderThreadLocalAccessor}; and any an
 * application registered), plus SLF4J's MDC through {@link Slf4jThreadLocalAccessor}, which no jar
 * registers by itself. Those accessors are copied into a registry of this propagator's own, so the
 * global registry is left as it was; the copy is made again when the global accessors change.
 *
 * <p>{@link #capture()} runs on the request thread, once per exchange with background work; the
 * snapshot is restored around each task and callback on the thread that runs it, with
 * {@code clearMissing}: what the request thread did not have is cleared for the task, and closing
 * the scope puts back what the thread had before (on a pooled thread, nothing), so nothing of one
 * task is left for the next one on the same thread.
 */
final class MicrometerContextPropagator implements ContextPropagator {

    /** The snapshot factory over a copy of the global accessors, and which accessors it copied. */
    private record Copy(List<ThreadLocalAccessor<?>> global, ContextSnapshotFactory factory, List<Object> keys) {

        /** @param global one version of the global accessors, copied by the caller */
        static Copy of(List<ThreadLocalAccessor<?>> global) {
            ContextRegistry registry = new ContextRegistry();
            for (ThreadLocalAccessor<?> accessor : global) {
                registry.registerThreadLocalAccessor(accessor);
            }
            boolean hasMdc = registry.getThreadLocalAccessors().stream()
                    .anyMatch(accessor -> Slf4jThreadLocalAccessor.KEY.equals(accessor.key()));
            if (!hasMdc && ClassUtils.isPresent("org.slf4j.MDC", MicrometerContextPropagator.class.getClassLoader())) {
                registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
            }
            List<Object> keys = registry.getThreadLocalAccessors().stream().map(ThreadLocalAccessor::key)
                    .map(Object.class::cast).toList();
            return new Copy(global, ContextSnapshotFactory.builder().contextRegistry(registry)
                    .clearMissing(true).build(), keys);
        }

        /**
         * Whether the global registry still holds exactly the accessors copied (compared by
         * identity). Its list is copy-on-write, so one iterator reads one consistent version of it,
         * without copying it on every exchange.
         */
        boolean isCurrent(List<ThreadLocalAccessor<?>> live) {
            Iterator<ThreadLocalAccessor<?>> now = live.iterator();
            for (ThreadLocalAccessor<?> copied : global) {
                if (!now.hasNext() || now.next() != copied) {
                    return false;
                }
            }
            return !now.hasNext();
        }
    }

    private volatile Copy copy = Copy.of(List.copyOf(ContextRegistry.getInstance().getThreadLocalAccessors()));

    /**
     * The copy, made again when the application has registered accessors since (a bean that
     * registers one runs after the filter was configured): a few comparisons per exchange, and a
     * new copy only when the registry changed.
     */
    private Copy current() {
        List<ThreadLocalAccessor<?>> live = ContextRegistry.getInstance().getThreadLocalAccessors();
        Copy made = copy;
        if (!made.isCurrent(live)) {
            made = Copy.of(List.copyOf(live)); // one consistent version: List.copyOf reads it at once
            copy = made;
        }
        return made;
    }

    @Override
    public Snapshot capture() {
        ContextSnapshot snapshot = current().factory().captureAll();
        return () -> {
            ContextSnapshot.Scope scope = snapshot.setThreadLocals();
            return scope::close;
        };
    }

    @Override
    public String toString() {
        return "Micrometer context-propagation " + copy.keys();
    }
}
