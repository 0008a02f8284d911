package io.github.afterresponse.internal.config;

import io.github.afterresponse.ContextPropagator;

/** How configurations and log lines name a {@link ContextPropagator}. */
public final class Propagators {

    private Propagators() {}

    /**
     * Its own {@code toString} if it has one; else its class name, as the {@code context-propagators}
     * init-param names it; {@code contextClassLoader} for the built-in one.
     */
    public static String describe(ContextPropagator propagator) {
        if (propagator == ContextPropagator.contextClassLoader()) {
            return "contextClassLoader";
        }
        try {
            if (propagator.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
                return propagator.toString();
            }
        } catch (NoSuchMethodException | RuntimeException e) {
            // cannot happen for a public method of Object; fall back on the class name
        }
        return propagator.getClass().getName();
    }
}
