package io.github.afterresponse.demo.war;

import io.github.afterresponse.ExecutorChoice;
import java.util.concurrent.Executor;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Which executor the programmatic filter uses, and why: the server's default managed executor
 * where a JNDI lookup of {@value #MANAGED_EXECUTOR} finds an {@link Executor} (a Jakarta EE
 * server such as Payara), else the container's request pool (Tomcat and Jetty bind nothing there).
 *
 * @param choice the executor given to the filter
 * @param reason what the lookup found, for the status page
 */
public record ExecutorSelection(ExecutorChoice choice, String reason) {

    /** Jakarta EE's default managed executor service. */
    public static final String MANAGED_EXECUTOR = "java:comp/DefaultManagedExecutorService";

    /** Looks the managed executor up; never fails. */
    public static ExecutorSelection select() {
        try {
            Object found = new InitialContext().lookup(MANAGED_EXECUTOR);
            if (found instanceof Executor) {
                return new ExecutorSelection(ExecutorChoice.jndi(MANAGED_EXECUTOR),
                        MANAGED_EXECUTOR + " is bound to " + found.getClass().getName());
            }
            return new ExecutorSelection(ExecutorChoice.container(), MANAGED_EXECUTOR + " is bound to "
                    + (found == null ? "null" : found.getClass().getName()) + ", which is no Executor");
        } catch (NamingException | RuntimeException e) {
            // Tomcat: NameNotFoundException; Jetty without the jndi module: NoInitialContextException.
            return new ExecutorSelection(ExecutorChoice.container(), "lookup of " + MANAGED_EXECUTOR
                    + " failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
