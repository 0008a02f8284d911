package io.github.afterresponse;

import io.github.afterresponse.internal.AnnotatedServlets;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.HandlesTypes;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps {@link AfterResponseFilter} onto exactly the servlets whose class carries
 * {@link ContinueAfterResponse}, by servlet name, when the web application starts. Containers that
 * discover initializers (Tomcat, Jetty with its annotations module, Payara, every Jakarta EE server)
 * find it through {@code META-INF/services} in the core jar: dropping the jar into
 * {@code WEB-INF/lib} is all it takes. Servlets without the annotation never pass through it, so
 * they take no admission place and never get its 503.
 *
 * <p>The filter it adds is named {@value #FILTER_NAME}, supports asynchronous processing, is mapped
 * to the annotated servlets' URL patterns ahead of the application's own filters (so that no
 * response wrapper the application maps by URL sits outside it) and handles only the requests of
 * those servlets, passing any other request that matches a pattern straight on. It is configured
 * from the context-params whose names start with {@value #CONTEXT_PARAM_PREFIX} (for example
 * {@code after-response.max-running}; the rest of each name is an init-param of
 * {@link AfterResponseConfig}). An invalid or unknown one fails the web application's start,
 * naming the context-param and its value.
 *
 * <p>If the application declares an {@code AfterResponseFilter} itself (in {@code web.xml}, or
 * from another initializer), no second one is added: the annotated servlets are mapped onto that
 * one (the first by name if there are several), and take its configuration plus their
 * annotation's settings.
 *
 * <p>Undertow does not discover initializers; register it by hand on the deployment:
 *
 * <pre>{@code
 * deployment.addServletContainerInitializer(
 *         new ServletContainerInitializerInfo(AfterResponseInitializer.class, Set.of()));
 * }</pre>
 *
 * <p>It sees the servlets registered before initializers run: those of {@code web.xml},
 * {@code web-fragment.xml} and {@code @WebServlet}. A servlet that a listener adds later is not
 * mapped by it; map the filter to that one by name ({@code addMappingForServletNames}).
 */
@HandlesTypes(ContinueAfterResponse.class)
public final class AfterResponseInitializer implements ServletContainerInitializer {

    /** The name of the filter this initializer adds. */
    public static final String FILTER_NAME = "afterResponse";

    /** The prefix of the context-params that configure the filter this initializer adds. */
    public static final String CONTEXT_PARAM_PREFIX = "after-response.";

    /**
     * Called by the container. The servlets are found from the registrations; the annotated
     * classes the container found are used to warn about those no servlet has as its class.
     */
    @Override
    public void onStartup(@Nullable Set<Class<?>> annotated, ServletContext context) throws ServletException {
        try {
            AnnotatedServlets.map(context, FILTER_NAME, CONTEXT_PARAM_PREFIX, AfterResponseFilter::forAnnotatedServlets,
                    annotated);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ServletException(e.getMessage(), e);
        }
    }
}
