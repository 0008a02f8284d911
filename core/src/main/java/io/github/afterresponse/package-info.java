/**
 * Answer the HTTP client now, keep working afterwards.
 *
 * <p>Map {@link io.github.afterresponse.AfterResponseFilter} in front of a servlet; in the
 * servlet, register background work with
 * {@code AfterResponse.of(request).then(task)}. The filter buffers the servlet's output, sends it
 * whole with {@code Content-Length}, completes the exchange so the client stops waiting, and then
 * runs the tasks on a container-managed thread. Every exchange ends with a
 * {@link io.github.afterresponse.Completion} delivered to its callbacks exactly once.
 *
 * <p>Nothing in this package accepts or returns {@code null} unless marked {@code @Nullable}.
 */
@NullMarked
package io.github.afterresponse;

import org.jspecify.annotations.NullMarked;
