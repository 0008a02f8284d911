/**
 * After Response: answer the HTTP client now, keep working afterwards.
 *
 * <p>Only {@code io.github.afterresponse} is exported; {@code io.github.afterresponse.internal}
 * is implementation and may change in any release.
 */
module io.github.afterresponse {
    requires transitive jakarta.servlet;
    requires static transitive org.jspecify;
    requires java.management;
    requires java.naming;

    exports io.github.afterresponse;

    uses io.github.afterresponse.ContextPropagator;

    provides jakarta.servlet.ServletContainerInitializer with io.github.afterresponse.AfterResponseInitializer;
}
