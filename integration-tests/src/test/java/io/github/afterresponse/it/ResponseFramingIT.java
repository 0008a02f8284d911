package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static io.github.afterresponse.it.Deployment.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.HeaderField;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * The headers that frame the body — {@code Content-Length}, {@code Content-Type}'s charset,
 * trailers — when something other than the servlet shapes the response: an outer filter that
 * committed it, trailer fields, the container's own rule for naming the writer's charset. Bytes
 * are never dropped, and what the client gets looks as it does without the filter.
 */
class ResponseFramingIT {

    private static final String BODY = "the servlet's body, ".repeat(500);

    /** Registers a held task when asked to. */
    private static void maybeHeld(HttpServletRequest request, HeldTask held) {
        if (request.getParameter("task") != null) {
            held.registerOn(AfterResponse.of(request));
        }
    }

    /** A filter in front that sets a header and commits the response before the chain runs. */
    private static Filter committingFilter() {
        return (request, response, chain) -> {
            ((HttpServletResponse) response).setHeader("X-Outer", "committed");
            response.flushBuffer();
            chain.doFilter(request, response);
        };
    }

    @EveryContainer
    void bodyIsSentWhenAnOuterFilterCommittedTheResponse(Container container) throws Exception {
        HeldTask held = new HeldTask();
        try (Deployment app = Deployment.on(container).before(committingFilter()).servlet("/page", (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(BODY);
            maybeHeld(request, held);
        }).start()) {
            RawResponse withoutTask = app.get("/page");
            assertThat(withoutTask.statusCode()).isEqualTo(200);
            assertThat(withoutTask.header("X-Outer")).hasValue("committed");
            assertThat(withoutTask.bodyText(StandardCharsets.UTF_8)).as("no byte dropped").isEqualTo(BODY);

            RawResponse withTask = app.get("/page?task=yes");
            assertThat(withTask.bodyText(StandardCharsets.UTF_8)).as("no byte dropped").isEqualTo(BODY);
            await(held.started, "the task");
            assertThat(held.isRunning()).as("the client had the whole body while the task runs").isTrue();
            held.release.countDown();
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 2);
            assertThat(app.completions).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED));
        }
    }

    @EveryContainer
    void trailersReachTheClient(Container container) throws Exception {
        HeldTask held = new HeldTask();
        try (Deployment app = Deployment.on(container).servlet("/signed", (request, response) -> {
            response.setTrailerFields(() -> Map.of("x-checksum", "c0ffee"));
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(BODY);
            maybeHeld(request, held);
        }).start(); RawConnection connection = app.open()) {
            for (String path : new String[] {"/signed", "/signed?task=yes"}) {
                RawResponse response = connection.send(request("GET", path, "TE: trailers")).readResponse(TIMEOUT);
                assertThat(response.chunked()).as(path + ": trailers need the chunked coding").isTrue();
                assertThat(HeaderField.first(response.trailers(), "x-checksum")).as(path + " " + response.trailers()).hasValue("c0ffee");
                assertThat(response.bodyText(StandardCharsets.UTF_8)).as(path).isEqualTo(BODY);
            }
            await(held.started, "the task");
            held.release.countDown();
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 2);
        }
    }

    /**
     * The servlet writes through its writer with the Content-Type the query names; the client must
     * get the same Content-Type, and the same bytes, as from the container without the filter. The
     * containers differ: Tomcat and Undertow always name the writer's charset, Jetty leaves out the
     * charset its MIME table assumes for JSON.
     */
    @EveryContainer
    void writerCharsetIsNamedAsTheContainerNamesIt(Container container) throws Exception {
        try (Deployment app = Deployment.on(container).servlet("/typed", (request, response) -> {
            String type = request.getParameter("type");
            if (type != null) {
                response.setContentType(type);
            }
            response.getWriter().print("{\"name\":\"caf\u00e9\"}");
            if (request.getParameter("task") != null) {
                AfterResponse.find(request).ifPresent(exchange -> exchange.then(task -> { })); // none on the bare twin
            }
        }).start()) {
            int bare = app.startWithoutFilter().port();
            for (String type : new String[] {"application/json", "text/json", "application/vnd.api+json",
                    "application/json;charset=UTF-8", "text/plain", "text/html", "application/xml", ""}) {
                for (String task : new String[] {"", "&task=yes"}) {
                    String path = "/typed?type=" + type.replace(";", "%3B").replace("+", "%2B") + task;
                    if (type.isEmpty()) {
                        path = "/typed?x=1" + task;
                    }
                    RawResponse expected = RawHttpClient.get(bare, path);
                    RawResponse actual = app.get(path);
                    assertThat(actual.header("Content-Type")).as(path).isEqualTo(expected.header("Content-Type"));
                    assertThat(actual.body()).as(path).isEqualTo(expected.body());
                }
            }
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 16);
        }
    }

    /**
     * The same comparison for the other orders: the content type set after getWriter(), and a
     * charset set with setCharacterEncoding before a JSON type.
     */
    @EveryContainer
    void writerCharsetIsNamedAsTheContainerNamesItWhateverTheOrder(Container container) throws Exception {
        try (Deployment app = Deployment.on(container).servlet("/typed", (request, response) -> {
            String type = request.getParameter("type");
            String order = request.getParameter("order");
            PrintWriter out;
            if ("writer-first".equals(order)) {
                out = response.getWriter();
                response.setContentType(type);
            } else {
                response.setCharacterEncoding("UTF-8");
                response.setContentType(type);
                out = response.getWriter();
            }
            out.print("{\"name\":\"caf\u00e9\"}");
        }).start()) {
            int bare = app.startWithoutFilter().port();
            List<String> differences = new ArrayList<>();
            for (String order : new String[] {"writer-first", "encoding-first"}) {
                for (String type : new String[] {"application/json", "text/json", "text/plain", "text/html"}) {
                    String path = "/typed?order=" + order + "&type=" + type;
                    RawResponse expected = RawHttpClient.get(bare, path);
                    RawResponse actual = app.get(path);
                    // compared without blanks: Undertow writes "; charset=", the filter ";charset=", both valid
                    if (!actual.header("Content-Type").map(t -> t.replace(" ", ""))
                            .equals(expected.header("Content-Type").map(t -> t.replace(" ", "")))
                            || !Arrays.equals(actual.body(), expected.body())) {
                        differences.add(path + ": bare " + expected.header("Content-Type") + " "
                                + Arrays.toString(expected.body()) + ", filtered "
                                + actual.header("Content-Type") + " " + Arrays.toString(actual.body()));
                    }
                }
            }
            assertThat(differences).isEmpty();
        }
    }
}
