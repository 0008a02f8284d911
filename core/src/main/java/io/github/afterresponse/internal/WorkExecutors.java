package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.ExecutorChoice;
import java.util.concurrent.Executor;

/** Makes the {@link WorkExecutor} an {@link ExecutorChoice} names. */
final class WorkExecutors {

    private WorkExecutors() {}

    /**
     * @throws IllegalArgumentException naming the init-param {@code executor} and its value when a
     *     JNDI name is not bound to an {@link Executor}
     */
    static WorkExecutor create(AfterResponseConfig config, String filterName) {
        ExecutorChoice choice = config.executor();
        if (choice instanceof ExecutorChoice.Dedicated) {
            return PoolExecutor.dedicated(filterName, config.threads());
        }
        if (choice instanceof ExecutorChoice.Virtual) {
            return PoolExecutor.virtual(filterName);
        }
        if (choice instanceof ExecutorChoice.Platform) {
            return PoolExecutor.platform(filterName, config.threads());
        }
        if (choice instanceof ExecutorChoice.Given given) {
            return PoolExecutor.given(given.executor(), "the executor " + given.executor());
        }
        if (choice instanceof ExecutorChoice.Jndi jndi) {
            return PoolExecutor.given(lookup(jndi), "the executor bound to " + jndi.name());
        }
        return new ContainerExecutor();
    }

    private static Executor lookup(ExecutorChoice.Jndi jndi) {
        try {
            return jndi.lookUp();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("init-param " + e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
    }
}
