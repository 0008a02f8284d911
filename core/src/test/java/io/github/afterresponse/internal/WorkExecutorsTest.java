package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.ExecutorChoice;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JNDI choice looks the executor up through the JNDI of the JVM, as a server's naming makes
 * a {@code ManagedExecutorService} available; a name bound to anything else fails start-up.
 */
class WorkExecutorsTest {

    /** What the test "server" has bound. */
    static final Map<String, Object> BOUND = new ConcurrentHashMap<>();

    private String previousFactory;

    @BeforeEach
    void installNaming() {
        previousFactory = System.getProperty(Context.INITIAL_CONTEXT_FACTORY);
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, MapContextFactory.class.getName());
    }

    @AfterEach
    void removeNaming() {
        BOUND.clear();
        if (previousFactory == null) {
            System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        } else {
            System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousFactory);
        }
    }

    @Test
    void runsJobsOnTheExecutorBoundUnderTheName() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        Executor managed = command -> new Thread(() -> {
            command.run();
            ran.countDown();
        }, "managed-1").start();
        BOUND.put("java:comp/DefaultManagedExecutorService", managed);

        WorkExecutor executor = WorkExecutors.create(AfterResponseConfig.builder()
                .executor(ExecutorChoice.jndi("java:comp/DefaultManagedExecutorService")).build(), "f");

        assertThat(executor.needsAsync()).isFalse();
        assertThat(executor.describe()).contains("java:comp/DefaultManagedExecutorService");
        WorkScheduler scheduler = new WorkScheduler(1, 0, executor, new TimeLimits("f"));
        try {
            ExchangeTestSupport.submitOne(scheduler);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            scheduler.timeLimits().shutdown();
            executor.shutdown(); // not owned: must leave the server's executor alone (nothing to observe but no exception)
        }
    }

    @Test
    void aNameBoundToSomethingElseFailsNamingTheInitParam() {
        BOUND.put("java:comp/env/jdbc/db", "a data source");
        assertThatThrownBy(() -> WorkExecutors.create(AfterResponseConfig.fromInitParameters(
                Map.of("executor", "jndi:java:comp/env/jdbc/db")), "f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("init-param executor must name an Executor bound in JNDI, but was "
                        + "'jndi:java:comp/env/jdbc/db', which is bound to a java.lang.String");
    }

    @Test
    void anUnboundNameFailsNamingTheInitParam() {
        assertThatThrownBy(() -> WorkExecutors.create(AfterResponseConfig.fromInitParameters(
                Map.of("executor", "jndi:java:comp/env/missing")), "f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("init-param executor must name an Executor bound in JNDI (such as a "
                        + "ManagedExecutorService), but was 'jndi:java:comp/env/missing'");
    }

    /** A JNDI provider over {@link #BOUND}, installed through {@code java.naming.factory.initial}. */
    public static final class MapContextFactory implements InitialContextFactory {
        @Override
        public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
            return new InitialContext(true) {
                @Override
                public Object lookup(String name) throws NamingException {
                    Object found = BOUND.get(name);
                    if (found == null) {
                        throw new NameNotFoundException(name);
                    }
                    return found;
                }
            };
        }
    }
}
