package io.github.afterresponse.testkit;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the JUL loggers of Tomcat (JULI) and Undertow/XNIO (JBoss Logging falls back to JUL) down to WARNING,
 * unless the user configured a level. Jetty logs through SLF4J to {@code jetty-slf4j-impl}, configured by
 * {@code jetty-logging.properties} in this jar.
 */
final class QuietLogging {

    /** Strong references: JUL keeps loggers weakly, so a level set on an unreferenced logger can be lost. */
    private static final List<Logger> LOGGERS = List.of(
            Logger.getLogger("org.apache.catalina"),
            Logger.getLogger("org.apache.coyote"),
            Logger.getLogger("org.apache.tomcat"),
            Logger.getLogger("io.undertow"),
            Logger.getLogger("org.xnio"),
            Logger.getLogger("org.jboss"));

    static {
        for (Logger logger : LOGGERS) {
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
            }
        }
    }

    private QuietLogging() {
    }

    /** Applies the levels (once, on first call). */
    static void init() {
        // the static initialiser does the work
    }
}
