package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.ExecutorChoice;
import java.util.concurrent.Executor;
import javax.naming.InitialContext;
import javax.naming.NamingException;

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
            return PoolExecutor.given(lookup(jndi.name()), "the executor bound to " + jndi.name());
        }
        return new ContainerExecutor();
    }

    private static Executor lookup(String name) {
        Object found;
        try {
            found = new InitialContext().lookup(name);
        } catch (NamingException | RuntimeException e) {
            throw new IllegalArgumentException("init-param executor must name an Executor bound in JNDI (such as a "
                    + "ManagedExecutorService), but was 'jndi:" + name + "', which could not be looked up: " + e, e);
        }
        if (found instanceof Executor executor) {
            return executor;
        }
        throw new IllegalArgumentException("init-param executor must name an Executor bound in JNDI, but was 'jndi:"
                + name + "', which is bound to " + (found == null ? "null" : "a " + found.getClass().getName()));
    }
}
