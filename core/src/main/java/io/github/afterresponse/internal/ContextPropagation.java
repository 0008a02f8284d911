package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.ContextPropagator;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import io.github.afterresponse.internal.config.Propagators;
import java.util.Arrays;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A filter's {@link ContextPropagator}s, in the order they apply: the context class loader, those
 * {@link ServiceLoader} finds, then the configuration's. Takes one exchange's context on its
 * request thread ({@link #capture()}); a propagator that throws is left out and reported once per
 * class, at WARNING, then at DEBUG.
 */
final class ContextPropagation {

    private static final System.Logger LOG = Log.LOGGER;

    private final ContextPropagator[] propagators;
    /** Which propagator failed at which step already: per instance, since of() and threadLocal() share a class. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    private ContextPropagation(List<ContextPropagator> propagators) {
        this.propagators = propagators.toArray(ContextPropagator[]::new);
    }

    /**
     * The propagators of a filter whose web application has {@code loader}.
     *
     * @throws IllegalArgumentException when discovery is on and a service entry cannot be loaded,
     *     naming it and the setting that turns discovery off
     */
    static ContextPropagation of(AfterResponseConfig config, ClassLoader loader) {
        List<ContextPropagator> all = new ArrayList<>();
        all.add(ContextPropagator.contextClassLoader());
        if (config.discoverContextPropagators()) {
            all.addAll(discover(loader));
        }
        all.addAll(config.contextPropagators());
        return new ContextPropagation(all);
    }

    private static List<ContextPropagator> discover(ClassLoader loader) {
        List<ContextPropagator> found = new ArrayList<>();
        try {
            for (ContextPropagator propagator : ServiceLoader.load(ContextPropagator.class, loader)) {
                found.add(propagator);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException("a ContextPropagator listed in META-INF/services/"
                    + ContextPropagator.class.getName() + " cannot be loaded (" + e.getMessage() + "); fix the "
                    + "entry, or set discover-context-propagators to false", e);
        }
        return found;
    }

    /** For the start-up log line. */
    String describe() {
        return Arrays.stream(propagators).map(Propagators::describe).collect(Collectors.joining(", "));
    }

    /** Takes the exchange's context off the request thread. Never throws. */
    CapturedContext capture() {
        ContextPropagator.Snapshot[] snapshots = new ContextPropagator.Snapshot[propagators.length];
        for (int i = 0; i < propagators.length; i++) {
            try {
                snapshots[i] = Objects.requireNonNull(propagators[i].capture(), "capture() returned null");
            } catch (Throwable e) {
                // Throwable: the client has its response; the work must run, without this context.
                failed(propagators[i], "capture", e);
                snapshots[i] = ContextPropagator.Snapshot.NONE;
            }
        }
        return new CapturedContext(this, propagators, snapshots);
    }

    /** A propagator threw: the work goes on without its context; said once per class. */
    void failed(ContextPropagator propagator, String step, Throwable e) {
        String name = name(propagator);
        String message = "After Response: context propagator " + name + " failed in " + step
                + "; the work runs without its context";
        if (warned.add(indexOf(propagator) + "." + step)) {
            LOG.log(Level.WARNING, message + " (logged once; further failures are logged at DEBUG)", e);
        } else {
            LOG.log(Level.DEBUG, message, e);
        }
    }

    private int indexOf(ContextPropagator propagator) {
        for (int i = 0; i < propagators.length; i++) {
            if (propagators[i] == propagator) {
                return i;
            }
        }
        return -1;
    }

    /** Its own description if it has one, else its class; with its place in the order, to tell lambdas apart. */
    private String name(ContextPropagator propagator) {
        return Propagators.describe(propagator) + " (#" + (indexOf(propagator) + 1) + " of " + propagators.length + ")";
    }
}
