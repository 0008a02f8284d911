package io.github.afterresponse.internal;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Executor} outside the container: a dedicated pool the filter owns (virtual threads on
 * Java 21+, platform threads before), or one it was given or looked up by JNDI, which it leaves
 * alone when it stops.
 */
final class PoolExecutor implements WorkExecutor {

    private static final System.Logger LOG = Log.LOGGER;

    private final LogOnce refused = new LogOnce();
    private final Executor executor;
    private final boolean owned;
    private final String description;

    private PoolExecutor(Executor executor, boolean owned, String description) {
        this.executor = executor;
        this.owned = owned;
        this.description = description;
    }

    /** An executor the application or the server owns. */
    static PoolExecutor given(Executor executor, String description) {
        return new PoolExecutor(executor, false, description);
    }

    /**
     * A pool owned by the filter: virtual threads where the runtime has them (Java 21+), otherwise
     * {@code threads} platform threads; named {@code after-response-<filter>-<n>}.
     */
    static PoolExecutor dedicated(String filterName, int threads) {
        String prefix = "after-response-" + filterName + "-";
        ExecutorService virtual = virtualThreads(prefix);
        if (virtual != null) {
            return new PoolExecutor(virtual, true, "virtual threads " + prefix + "<n>");
        }
        LOG.log(Level.INFO, "After Response: virtual threads need Java 21 or later, and this is Java {0}; the "
                + "dedicated executor of filter ''{1}'' uses {2} platform threads instead",
                Runtime.version().feature(), filterName, threads);
        AtomicLong counter = new AtomicLong();
        ThreadFactory factory = work -> {
            Thread thread = new Thread(work, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new PoolExecutor(Executors.newFixedThreadPool(threads, factory), true,
                threads + " platform threads " + prefix + "<n>");
    }

    /** {@code Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, 1).factory())}, by reflection: the core compiles for Java 17. */
    private static @Nullable ExecutorService virtualThreads(String prefix) {
        if (Runtime.version().feature() < 21) {
            return null;
        }
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
            ThreadFactory factory = (ThreadFactory) Class.forName("java.lang.Thread$Builder")
                    .getMethod("factory").invoke(builder);
            return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                    .invoke(null, factory);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
            LOG.log(Level.WARNING, "After Response: virtual threads are not available: " + cause);
            return null;
        }
    }

    @Override
    public boolean needsAsync() {
        return false;
    }

    @Override
    public boolean handsOverThread() {
        return false;
    }

    @Override
    public boolean start(BackgroundJob job, WorkScheduler scheduler) {
        try {
            executor.execute(() -> scheduler.runIfUnclaimed(job));
            return true;
        } catch (RuntimeException e) {
            // RejectedExecutionException usually; a ManagedExecutorService in a bad state may throw
            // anything. The job holds a slot and must end either way: its caller runs it.
            refused.log(() -> "After Response: " + description + " refused background work (" + e + "); it runs "
                    + "on the thread that handed it on instead");
            return false;
        }
    }

    @Override
    public void shutdown() {
        if (owned && executor instanceof ExecutorService service) {
            service.shutdownNow();
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
