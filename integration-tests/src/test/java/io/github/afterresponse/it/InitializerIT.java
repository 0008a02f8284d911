package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseInitializer;
import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ContinueAfterResponse;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import io.github.afterresponse.testkit.RunningServer;
import io.github.afterresponse.testkit.ServerStartException;
import io.github.afterresponse.testkit.WebApp;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The annotation opt-in: {@link AfterResponseInitializer}, registered as a container that
 * discovers initializers registers it (on Undertow: the documented manual line), maps the filter
 * onto exactly the servlets annotated {@link ContinueAfterResponse}, configured from the
 * {@code after-response.*} context-params; the other servlets never pass through it.
 */
class InitializerIT {

    /** Opted in: registers a held task. */
    @ContinueAfterResponse
    static final class HeldReportServlet extends HttpServlet {
        private final HeldTask task;

        HeldReportServlet(HeldTask task) {
            this.task = task;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            task.registerOn(AfterResponse.of(request));
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("report queued");
        }
    }

    /** Opted in with its own buffer limit and no Connection: close. */
    @ContinueAfterResponse(bufferLimit = "16", connectionClose = "false")
    static final class SmallBufferServlet extends HttpServlet {
        final List<Completion> completions = new CopyOnWriteArrayList<>();

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            AfterResponse.of(request).then(task -> { }).onComplete(completions::add);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("x".repeat(100));
        }
    }

    /** Not opted in: says whether the toolkit saw its request. */
    static final class StatusServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(AfterResponse.find(request).isPresent() ? "filtered" : "untouched");
        }
    }

    @EveryContainer
    void onlyTheAnnotatedServletPassesThroughTheFilter(Container container) throws Exception {
        HeldTask task = new HeldTask();
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .servlet("report", new HeldReportServlet(task), true, "/report")
                .servlet("status", new StatusServlet(), true, "/status");
        try (RunningServer server = container.start(app)) {
            RawResponse report = get(server, "/report");
            assertThat(report.statusCode()).isEqualTo(200);
            assertThat(report.bodyText(StandardCharsets.UTF_8)).isEqualTo("report queued");
            assertThat(report.contentLength()).hasValue(13);
            assertThat(report.header("Connection")).hasValue("close");
            await(task.started, "the annotated servlet's task");
            assertThat(task.isRunning()).as("the client has its answer while the task runs").isTrue();

            RawResponse status = get(server, "/status");
            assertThat(status.bodyText(StandardCharsets.UTF_8)).isEqualTo("untouched");
            assertThat(status.header("Connection").orElse("")).isNotEqualToIgnoringCase("close");

            task.release.countDown();
            await(task.done, "the annotated servlet's callback");
            assertThat(task.completion.get().outcome()).isEqualTo(Outcome.COMPLETED);
        } finally {
            task.release.countDown();
        }
    }

    @EveryContainer
    void contextParamsConfigureTheFilterAndOtherServletsNeverGet503(Container container) throws Exception {
        HeldTask task = new HeldTask();
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .contextParam("after-response.max-running", "1")
                .contextParam("after-response.queue-capacity", "0")
                .contextParam("after-response.executor", executor())
                .servlet("report", new HeldReportServlet(task), true, "/report")
                .servlet("status", new StatusServlet(), true, "/status");
        try (RunningServer server = container.start(app)) {
            assertThat(get(server, "/report").statusCode()).isEqualTo(200);
            await(task.started, "the task that fills the only place");

            assertThat(get(server, "/report").statusCode()).as("the annotated servlet, full").isEqualTo(503);
            RawResponse status = get(server, "/status");
            assertThat(status.statusCode()).as("a servlet without the annotation, while the filter is full")
                    .isEqualTo(200);
            assertThat(status.bodyText(StandardCharsets.UTF_8)).isEqualTo("untouched");
            task.release.countDown();
            await(task.done, "the task's callback");
        } finally {
            task.release.countDown();
        }
    }

    @EveryContainer
    void theAnnotationsSettingsApply(Container container) throws Exception {
        SmallBufferServlet servlet = new SmallBufferServlet();
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .servlet("small", servlet, true, "/small");
        try (RunningServer server = container.start(app)) {
            RawResponse response = get(server, "/small");
            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("x".repeat(100));
            assertThat(response.contentLength()).as("100 bytes outgrow the servlet's 16-byte buffer").isEmpty();
            assertThat(response.chunked()).isTrue();
            assertThat(response.header("Connection").orElse("")).as("connectionClose = \"false\"")
                    .isNotEqualToIgnoringCase("close");
        }
    }

    @EveryContainer
    void anApplicationThatDeclaresTheFilterGetsNoSecondOne(Container container) throws Exception {
        HeldTask task = new HeldTask();
        List<Completion> seen = new CopyOnWriteArrayList<>();
        AfterResponseFilter declared = new AfterResponseFilter() {
            @Override
            protected void afterCompletion(Completion completion) {
                seen.add(completion);
            }
        };
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .contextParam("after-response.max-running", "2")
                // As in web.xml: the application's own filter, on every path.
                .filter("declared", declared, Map.of(), true, "/*")
                .servlet("report", new HeldReportServlet(task), true, "/report")
                .servlet("status", new StatusServlet(), true, "/status");
        try (LogCapture log = new LogCapture(); RunningServer server = container.start(app)) {
            assertThat(log.warningsContaining("are ignored")).singleElement().asString()
                    .contains("after-response.max-running").contains("'declared'");
            assertThat(get(server, "/report").statusCode()).isEqualTo(200);
            task.release.countDown();
            await(task.done, "the task");
            // The task's exchange ends just after its task: wait for its callback, so that the
            // exchange of /status cannot come first (seen once on a loaded machine).
            org.awaitility.Awaitility.await().atMost(Deployment.TIMEOUT).until(() -> seen.size() == 1);
            assertThat(get(server, "/status").bodyText(StandardCharsets.UTF_8))
                    .as("the application mapped its filter on /*").isEqualTo("filtered");

            org.awaitility.Awaitility.await().atMost(Deployment.TIMEOUT).until(() -> seen.size() == 2);
            assertThat(seen).as("one exchange per request: the annotated servlet is not filtered twice").hasSize(2);
            assertThat(seen.get(0).exchangeId()).isEqualTo(task.completion.get().exchangeId());
            assertThat(declared.monitor().accepted()).isEqualTo(2);
            assertThat(server.servletContext().getAttribute(
                    AfterResponseMonitor.attributeName(AfterResponseInitializer.FILTER_NAME)))
                    .as("no filter added by the initializer").isNull();
        } finally {
            task.release.countDown();
        }
    }

    @EveryContainer
    void aBadContextParamFailsTheStartNamingIt(Container container) {
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .contextParam("after-response.max-running", "lots")
                .servlet("report", new HeldReportServlet(new HeldTask()), true, "/report");
        assertThatThrownBy(() -> container.start(app).close())
                .isInstanceOf(ServerStartException.class)
                .satisfies(e -> assertThat(causes(e)).contains("after-response.max-running").contains("'lots'"));
    }

    @EveryContainer
    void withoutAnnotatedServletsNothingIsAdded(Container container) throws Exception {
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .servlet("status", new StatusServlet(), true, "/status");
        try (RunningServer server = container.start(app)) {
            assertThat(get(server, "/status").bodyText(StandardCharsets.UTF_8)).isEqualTo("untouched");
            assertThat(server.servletContext().getAttribute(
                    AfterResponseMonitor.attributeName(AfterResponseInitializer.FILTER_NAME)))
                    .isNull();
        }
    }

    @EveryContainer
    void theDocumentedReportServletNeedsOnlyItsAnnotation(Container container) throws Exception {
        HeldTask building = new HeldTask();
        List<String> log = new CopyOnWriteArrayList<>();
        ReportServlet servlet = new ReportServlet(report -> {
            building.started.countDown();
            Await.hold(building.release);
        }, log::add);
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .servlet("reports", servlet, true, "/reports");
        try (RunningServer server = container.start(app);
                RawConnection connection = RawConnection.open(server.port())) {
            RawResponse response = connection.send(FinishEarlyIT.form("/reports", "report=q3"))
                    .readResponse(Deployment.TIMEOUT);
            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("Report q3 queued.\n");
            assertThat(response.header("Connection")).hasValue("close");
            await(building.started, "the report being built");
            assertThat(log).as("still building when the client has its answer").isEmpty();
            building.release.countDown();
            org.awaitility.Awaitility.await().atMost(Deployment.TIMEOUT).until(() -> log.size() == 1);
            assertThat(log).containsExactly("q3 COMPLETED status 0");
        } finally {
            building.release.countDown();
        }
    }

    /**
     * The Servlet specification puts every url-pattern mapping before every servlet-name mapping
     * in the chain; mapped by name alone, the added filter would sit inside any response wrapper
     * the application maps by URL (here Spring's ShallowEtagHeaderFilter on /*), which would hold
     * the response back. Mapped to the servlets' own URL patterns ahead of the application's
     * filters, it is outermost. A failing test of the first version.
     */
    @EveryContainer
    void aResponseWrapperTheApplicationMapsByUrlStaysInsideTheAddedFilter(Container container) throws Exception {
        HeldTask task = new HeldTask();
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .filter("etag", new org.springframework.web.filter.ShallowEtagHeaderFilter(), Map.of(), true, "/*")
                .servlet("report", new HeldReportServlet(task), true, "/report");
        try (LogCapture log = new LogCapture(); RunningServer server = container.start(app)) {
            RawResponse report = get(server, "/report");
            assertThat(report.bodyText(StandardCharsets.UTF_8)).isEqualTo("report queued");
            await(task.started, "the task");
            assertThat(task.isRunning()).as("the client has its answer while the task runs").isTrue();
            assertThat(report.header("ETag")).as("the application's filter still did its work").isPresent();
            assertThat(log.warningsContaining("holds it back")).isEmpty();
            task.release.countDown();
            await(task.done, "the callback");
        } finally {
            task.release.countDown();
        }
    }

    /** A more specific mapping of another servlet under the annotated servlet's path: untouched. */
    @EveryContainer
    void anotherServletUnderTheAnnotatedServletsPatternIsUntouched(Container container) throws Exception {
        HeldTask task = new HeldTask();
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .contextParam("after-response.max-running", "1")
                .contextParam("after-response.queue-capacity", "0")
                .servlet("reports", new HeldReportServlet(task), true, "/reports/*")
                .servlet("status", new StatusServlet(), true, "/reports/status");
        try (RunningServer server = container.start(app)) {
            assertThat(get(server, "/reports/q3").statusCode()).isEqualTo(200);
            await(task.started, "the task that fills the only place");
            RawResponse status = get(server, "/reports/status");
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.bodyText(StandardCharsets.UTF_8)).isEqualTo("untouched");
            task.release.countDown();
            await(task.done, "the callback");
        } finally {
            task.release.countDown();
        }
    }

    /** A GET on a fresh keep-alive connection, as browsers send it. */
    private static RawResponse get(RunningServer server, String path) throws IOException {
        try (RawConnection connection = RawConnection.open(server.port())) {
            return connection.send(Deployment.request("GET", path)).readResponse(Deployment.TIMEOUT);
        }
    }

    private static String executor() {
        String executor = System.getProperty("it.executor", "");
        return executor.isBlank() ? "container" : executor;
    }

    static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
