package io.github.afterresponse.internal;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
    private final int threads;

    private PoolExecutor(Executor executor, boolean owned, String description) {
        this(executor, owned, description, Integer.MAX_VALUE);
    }

    private PoolExecutor(Executor executor, boolean owned, String description, int threads) {
        this.executor = executor;
        this.owned = owned;
        this.description = description;
        this.threads = threads;
    }

    /** An executor the application or the server owns. */
    static PoolExecutor given(Executor executor, String description) {
        return new PoolExecutor(executor, false, description);
    }

    /**
     * Threads owned by the filter: virtual threads where the runtime has them (Java 21+), otherwise
     * a pool of {@code threads} platform threads; named {@code after-response-<filter>-<n>}.
     */
    static PoolExecutor dedicated(String filterName, int threads) {
        ExecutorService virtual = virtualThreads(prefix(filterName));
        if (virtual != null) {
            return new PoolExecutor(virtual, true, "virtual threads " + prefix(filterName) + "<n>");
        }
        LOG.log(Level.INFO, "After Response: virtual threads need Java 21 or later, and this is Java {0}; the "
                + "dedicated executor of filter ''{1}'' uses {2} platform threads instead",
                Runtime.version().feature(), filterName, threads);
        return platform(filterName, threads);
    }

    /**
     * A virtual thread per exchange, named {@code after-response-<filter>-<n>}.
     *
     * @throws IllegalArgumentException naming the init-param when the runtime has no virtual threads
     */
    static PoolExecutor virtual(String filterName) {
        ExecutorService virtual = virtualThreads(prefix(filterName));
        if (virtual == null) {
            throw new IllegalArgumentException("init-param executor must be one this runtime has, but was 'virtual', "
                    + "and virtual threads need Java 21 or later (this is Java " + Runtime.version().feature()
                    + "); use platform or dedicated");
        }
        return new PoolExecutor(virtual, true, "virtual threads " + prefix(filterName) + "<n>");
    }

    /**
     * A pool of {@code threads} platform threads owned by the filter, named
     * {@code after-response-<filter>-<n>}: started as work comes, and let go after a minute without
     * any, so that a large pool costs nothing while idle. Work beyond them waits for a thread.
     */
    static PoolExecutor platform(String filterName, int threads) {
        String prefix = prefix(filterName);
        AtomicLong counter = new AtomicLong();
        ThreadFactory factory = work -> {
            Thread thread = new Thread(work, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return new PoolExecutor(pool, true, threads + " platform threads " + prefix + "<n>", threads);
    }

    private static String prefix(String filterName) {
        return "after-response-" + filterName + "-";
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
    public int threads() {
        return threads;
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
