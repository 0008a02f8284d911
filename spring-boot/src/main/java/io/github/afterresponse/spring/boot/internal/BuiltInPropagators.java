package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.ContextPropagator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;

/**
 * The propagators the auto-configuration applies before any other: Micrometer's context-propagation
 * when it is on the class path and {@code after-response.context-propagation.micrometer} is true
 * (it carries the observation, the MDC and Spring Security's context at once); otherwise a plain
 * one for SLF4J's MDC and one for Spring Security's {@link SecurityContextHolder}, each when its
 * library is present. Never both kinds: the same context is not restored twice.
 */
public final class BuiltInPropagators {

    private BuiltInPropagators() {}

    public static List<ContextPropagator> forClassPath(boolean micrometer, @Nullable ClassLoader loader) {
        List<ContextPropagator> propagators = new ArrayList<>();
        if (micrometer && ClassUtils.isPresent("io.micrometer.context.ContextSnapshotFactory", loader)) {
            propagators.add(new MicrometerContextPropagator());
            return propagators;
        }
        if (ClassUtils.isPresent("org.slf4j.MDC", loader)) {
            propagators.add(Mdc.propagator());
        }
        if (ClassUtils.isPresent("org.springframework.security.core.context.SecurityContextHolder", loader)) {
            propagators.add(Security.propagator());
        }
        return propagators;
    }

    /** SLF4J's MDC, as a whole map; cleared for a task when the request thread had none. */
    static final class Mdc {
        private Mdc() {}

        static ContextPropagator propagator() {
            ContextPropagator propagator = ContextPropagator.<Map<String, String>>of(MDC::getCopyOfContextMap,
                    MDC::setContextMap, MDC::clear);
            return named(propagator, "SLF4J MDC");
        }
    }

    /**
     * Spring Security's {@link SecurityContextHolder}: a context without authentication counts as
     * none, so the task's thread is cleared afterwards rather than left with the empty context
     * that {@code getContext()} creates on it.
     */
    static final class Security {
        private Security() {}

        static ContextPropagator propagator() {
            ContextPropagator propagator = ContextPropagator.<SecurityContext>of(Security::current,
                    SecurityContextHolder::setContext, SecurityContextHolder::clearContext);
            return named(propagator, "Spring Security SecurityContextHolder");
        }

        private static @Nullable SecurityContext current() {
            SecurityContext context = SecurityContextHolder.getContext();
            return context.getAuthentication() == null ? null : context;
        }
    }

    private static ContextPropagator named(ContextPropagator propagator, String name) {
        return new ContextPropagator() {
            @Override
            public Snapshot capture() {
                return propagator.capture();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
