/**
 * Spring Boot auto-configuration of the After Response filter.
 *
 * <p>With {@code after-response-spring-boot-starter} on the class path, a servlet web application
 * gets an {@link io.github.afterresponse.AfterResponseFilter} mapped to {@code /*}, configured from
 * the {@code after-response.*} properties ({@link io.github.afterresponse.spring.boot.AfterResponseProperties}),
 * stopped gracefully inside Boot's shutdown, carrying the request's MDC, trace and security context
 * to its tasks, with Micrometer meters and an Actuator endpoint when those are present. The public
 * API is this package; {@code io.github.afterresponse.spring.boot.internal} is implementation and
 * may change in any release.
 *
 * <p>Extension points: {@link io.github.afterresponse.CompletionCallback} beans are told how every
 * exchange of the auto-configured filter ended, and {@link io.github.afterresponse.ContextPropagator}
 * beans carry more thread-bound context to the tasks.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package io.github.afterresponse.spring.boot;

import org.jspecify.annotations.NullMarked;
