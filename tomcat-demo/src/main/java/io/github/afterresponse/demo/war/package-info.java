/**
 * The WAR demo: three ways to put a servlet behind {@link io.github.afterresponse.AfterResponseFilter},
 * side by side in one web application, and a status page that passes through none of them.
 *
 * <ul>
 *   <li>{@link io.github.afterresponse.demo.war.AnnotatedReportServlet} ({@code /annotated/report}):
 *       {@code @WebServlet} plus {@code @ContinueAfterResponse}; the core jar's initializer maps the
 *       filter onto it, nothing in {@code web.xml}.</li>
 *   <li>{@link io.github.afterresponse.demo.war.LegacyExportServlet} ({@code /legacy/export}):
 *       declared in {@code web.xml} behind a filter declared there, finishing early with
 *       {@code finish()} and working inline.</li>
 *   <li>{@link io.github.afterresponse.demo.war.ProgrammaticMailServlet} ({@code /programmatic/mail}):
 *       servlet and filter registered by {@link io.github.afterresponse.demo.war.DemoSetup}, with a
 *       configuration built in code and the server's managed executor where there is one.</li>
 * </ul>
 *
 * <p>The long work is simulated ({@link io.github.afterresponse.demo.war.SimulatedWork}): a short
 * sleep, or a wait on a named {@link io.github.afterresponse.demo.war.Gates gate} that a client
 * opens with {@code POST /control/release?token=…}.
 */
package io.github.afterresponse.demo.war;
