package io.github.afterresponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a servlet behind {@link AfterResponseFilter}, with its own settings. On a container that
 * discovers {@code ServletContainerInitializer}s (Tomcat, Jetty with annotations, Payara and every
 * Jakarta EE server), having the core jar in {@code WEB-INF/lib} is all it takes: the
 * {@link AfterResponseInitializer} maps the filter onto exactly the annotated servlets, by servlet
 * name, and no other servlet passes through it.
 *
 * <pre>{@code
 * @WebServlet(urlPatterns = "/campaigns", asyncSupported = true)
 * @ContinueAfterResponse(timeLimit = "10m", abortPolicy = "continue")
 * public class CampaignServlet extends HttpServlet { ... }
 * }</pre>
 *
 * <p>The values are written as the filter's init-params are ({@link AfterResponseConfig}); an empty
 * value keeps the filter's. They also apply when the filter reaches the servlet another way (a
 * {@code web.xml} mapping, or {@code ServletContext.addFilter}). A request can still change the
 * abort policy and the time limit for itself ({@link AfterResponse#abortPolicy},
 * {@link AfterResponse#timeLimit}).
 *
 * <p>The filter reads the annotation of every servlet registered in its context when it starts, so
 * an invalid value makes the filter's {@code init} fail, naming the servlet, the attribute and the
 * value.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ContinueAfterResponse {

    /**
     * The wall-clock limit of the background work, as the {@code time-limit} init-param takes it
     * ({@code 0} for none, {@code 30s}, {@code 10m}, {@code 1h}, {@code PT90S}); empty keeps the
     * filter's.
     */
    String timeLimit() default "";

    /** {@code cancel} or {@code continue} (see {@link AbortPolicy}); empty keeps the filter's. */
    String abortPolicy() default "";

    /**
     * Bytes of output held back to send with {@code Content-Length}, as the {@code buffer-limit}
     * init-param takes it ({@code 64KiB}, {@code 1MiB}); empty keeps the filter's.
     */
    String bufferLimit() default "";

    /**
     * {@code true} or {@code false}: whether responses with background work carry
     * {@code Connection: close} on HTTP/1.x, as the {@code connection-close} init-param; empty
     * keeps the filter's.
     */
    String connectionClose() default "";
}
