package io.github.afterresponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Per-servlet settings, on the servlet class; they replace the filter's for requests that servlet
 * handles. The values are written as the filter's init-params are; an empty value keeps the filter's.
 *
 * <pre>{@code
 * @WebServlet(urlPatterns = "/campaigns", asyncSupported = true)
 * @AfterResponsePolicy(abortPolicy = "continue", timeLimit = "10m")
 * public class CampaignServlet extends HttpServlet { ... }
 * }</pre>
 *
 * <p>The filter reads the annotations of every servlet registered in its context when it starts, so
 * an invalid value makes the filter's {@code init} fail, naming the servlet, the attribute and the
 * value (see {@link AfterResponseFilter} for what each container then does). A request can still change both for itself ({@link AfterResponse#abortPolicy},
 * {@link AfterResponse#timeLimit}).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AfterResponsePolicy {

    /** {@code cancel} or {@code continue} (see {@link AbortPolicy}); empty keeps the filter's. */
    String abortPolicy() default "";

    /**
     * The time limit of the background work, as the {@code time-limit} init-param takes it
     * ({@code 0} for none, {@code 30s}, {@code 10m}, {@code 1h}, {@code PT90S}); empty keeps the
     * filter's.
     */
    String timeLimit() default "";
}
