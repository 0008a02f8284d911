package io.github.afterresponse;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Carries one kind of thread-bound context from the request thread to the threads that run an
 * exchange's tasks and callbacks: a logging context (SLF4J's MDC), a security context, a trace, a
 * tenant id. Without it, work that goes on after the response runs on a pooled thread that knows
 * nothing of the request that started it.
 *
 * <p>The life of one exchange's context:
 *
 * <pre>
 *   request thread                     thread that runs a task or a callback
 *   --------------                     -------------------------------------
 *   servlet returns
 *   capture() ─────► Snapshot ───────► restore() ─► Scope ─► task / callback ─► Scope.close()
 *   (once per exchange that           (around each task and each callback; close() puts back
 *    has background work)              what the thread had before, so nothing stays behind)
 * </pre>
 *
 * <p><b>Threads.</b> {@link #capture()} runs on the request thread, inside the filter, after the
 * servlet returned and once the response has been handed to the container (the client does not
 * wait for it), before the work is handed over: what filters outside this one and the servlet
 * itself put on the thread is there to be taken. {@link Snapshot#restore()} and
 * {@link Scope#close()} run on the thread that runs the task or callback (a container thread, a
 * thread of the filter's own pool, a virtual thread, or the thread that runs the filter's
 * {@code destroy()}), one right before and the other right after each task and each callback.
 * A servlet that starts its own asynchronous processing has its context taken when it calls
 * {@code startAsync}; one that called {@link AfterResponse#finish()}, when it did (its tasks run on
 * its own request thread, but a stop may run its callbacks on another).
 *
 * <p><b>Failures.</b> A propagator that throws is logged (once per propagator class) and left out
 * for that exchange or that task; the work still runs, without that context. It should not
 * block: {@code capture} runs on the request thread of every exchange with background work.
 *
 * <p><b>Registration.</b> Propagators are applied in this order: the thread context class loader
 * (always, see {@link #contextClassLoader()}), those found by {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.github.afterresponse.ContextPropagator}, with the web application's
 * class loader, which also sees the jars its parent loaders see, such as a server's shared
 * library folder; unless the filter's {@code discover-context-propagators} is false), then those of the configuration
 * ({@link AfterResponseConfig.Builder#contextPropagators(ContextPropagator...)} or the
 * {@code context-propagators} init-param: class names with a public no-argument constructor).
 * Scopes close in the reverse order.
 *
 * <p>A user's own {@code ThreadLocal} takes one line:
 *
 * <pre>{@code
 * AfterResponseConfig config = AfterResponseConfig.builder()
 *         .contextPropagators(ContextPropagator.threadLocal(TenantHolder.CURRENT),
 *                 ContextPropagator.of(MDC::getCopyOfContextMap, MDC::setContextMap, MDC::clear))
 *         .build();
 * }</pre>
 */
public interface ContextPropagator {

    /**
     * Takes the context off the current thread, the request thread. Runs once per exchange that
     * has background work, while the request is still live.
     *
     * @return what restores it elsewhere; {@link Snapshot#NONE} when there is nothing to carry
     */
    Snapshot capture();

    /**
     * A context taken from the request thread. It is restored once per task and per callback, and
     * may be restored on two threads at once: at shutdown the stopping thread runs the callbacks
     * of a task that ignored its interrupt while that task still runs.
     */
    @FunctionalInterface
    interface Snapshot {

        /** A snapshot that restores nothing. */
        Snapshot NONE = () -> Scope.NONE;

        /**
         * Puts the context on the current thread, the one about to run a task or a callback.
         *
         * @return what to close once the task or callback has ended, on the same thread
         */
        Scope restore();
    }

    /** The context put on a thread for one task or callback. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {

        /** A scope that has nothing to undo. */
        Scope NONE = () -> { };

        /**
         * Puts back what the thread had before {@link Snapshot#restore()}: on a pooled thread,
         * normally nothing. Called once, on the thread that restored it.
         */
        @Override
        void close();
    }

    /**
     * Carries the value of a {@link ThreadLocal}: the request thread's value is set on the task's
     * thread (or removed there, if the request thread had none), and the task's thread gets its
     * own value back afterwards (or none, removed: nothing stays in a pooled thread). A
     * {@code ThreadLocal} with an initial value ({@code withInitial}, {@code initialValue()}) has
     * no "none": the task's thread gets its initial value back, made by reading it.
     */
    static <T> ContextPropagator threadLocal(ThreadLocal<T> local) {
        Objects.requireNonNull(local, "local");
        return of(local::get, local::set, local::remove);
    }

    /**
     * Carries a context through its accessors, for holders that are not a bare {@code ThreadLocal}
     * (SLF4J's {@code MDC}: {@code of(MDC::getCopyOfContextMap, MDC::setContextMap, MDC::clear)}).
     *
     * @param get reads the current thread's context; null when it has none
     * @param set sets the current thread's context to a value {@code get} returned
     * @param clear removes the current thread's context
     */
    static <T> ContextPropagator of(Supplier<? extends @Nullable T> get, Consumer<? super T> set, Runnable clear) {
        Objects.requireNonNull(get, "get");
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(clear, "clear");
        return () -> {
            T captured = get.get();
            return () -> {
                T before = get.get();
                apply(captured, set, clear);
                return () -> apply(before, set, clear);
            };
        };
    }

    private static <T> void apply(@Nullable T value, Consumer<? super T> set, Runnable clear) {
        if (value == null) {
            clear.run();
        } else {
            set.accept(value);
        }
    }

    /**
     * The built-in propagator every filter applies first: the request thread's context class
     * loader (the web application's), so that a task can load the application's classes and
     * resources (JNDI, {@code ServiceLoader}, JAXB) on any thread. The task's thread gets its own
     * loader back afterwards.
     */
    static ContextPropagator contextClassLoader() {
        return ContextClassLoader.INSTANCE;
    }
}

/** {@link ContextPropagator#contextClassLoader()}: one instance, so that configurations compare equal. */
final class ContextClassLoader implements ContextPropagator {

    static final ContextClassLoader INSTANCE = new ContextClassLoader();

    private ContextClassLoader() {
    }

    @Override
    public Snapshot capture() {
        ClassLoader captured = Thread.currentThread().getContextClassLoader();
        return () -> {
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            thread.setContextClassLoader(captured);
            return () -> thread.setContextClassLoader(before);
        };
    }

    @Override
    public String toString() {
        return "ContextPropagator.contextClassLoader()";
    }
}
