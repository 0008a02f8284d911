package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** A task sees an immutable copy of the request, taken after the servlet ran. */
class SnapshotIT {

    @EveryContainer
    void taskSeesTheRequestAsTheServletLeftIt(Container container) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<RequestSnapshot> seen = new AtomicReference<>();
        AtomicReference<String> servletSaw = new AtomicReference<>();
        try (Deployment app = Deployment.on(container, Map.of("snapshot-attributes", "campaign.id, absent"))
                .servlet("/campaigns/*", (request, response) -> {
                    servletSaw.set(request.getParameter("subject"));
                    request.setAttribute("campaign.id", 42L);
                    request.setAttribute("not.chosen", "secret");
                    AfterResponse.of(request).then(task -> seen.set(task.request())).onComplete(c -> done.countDown());
                    response.setStatus(202);
                }).start(); RawConnection connection = app.open()) {
            String form = "subject=Spring+sale&to=a%40example.com&to=b%40example.com";
            RawResponse response = connection.send("POST /campaigns/spring/send?dry=no HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + form.length() + "\r\n"
                    + "Accept-Language: de-CH, fr;q=0.5\r\n"
                    + "X-Trace: one\r\n"
                    + "X-Trace: two\r\n"
                    + "\r\n" + form).readResponse(TIMEOUT);
            assertThat(response.statusCode()).isEqualTo(202);
            await(done, "the task");

            RequestSnapshot snapshot = seen.get();
            assertThat(servletSaw.get()).isEqualTo("Spring sale");
            assertThat(snapshot.method()).isEqualTo("POST");
            assertThat(snapshot.requestUri()).isEqualTo("/campaigns/spring/send");
            assertThat(snapshot.queryString()).hasValue("dry=no");
            assertThat(snapshot.requestUrl()).isEqualTo("http://127.0.0.1/campaigns/spring/send"); // Host had no port
            assertThat(snapshot.servletPath()).isEqualTo("/campaigns");
            assertThat(snapshot.pathInfo()).hasValue("/spring/send");
            assertThat(snapshot.contextPath()).isEmpty();
            assertThat(snapshot.protocol()).isEqualTo("HTTP/1.1");
            assertThat(snapshot.scheme()).isEqualTo("http");
            assertThat(snapshot.parameter("subject")).hasValue("Spring sale");
            assertThat(snapshot.parameterValues("to")).containsExactly("a@example.com", "b@example.com");
            assertThat(snapshot.parameter("dry")).hasValue("no");
            assertThat(snapshot.headerValues("x-trace")).containsExactly("one", "two");
            assertThat(snapshot.header("HOST")).hasValue("127.0.0.1");
            assertThat(snapshot.attributes()).containsExactly(Map.entry("campaign.id", 42L));
            assertThat(snapshot.locale()).isEqualTo(Locale.forLanguageTag("de-CH"));
            assertThat(snapshot.locales()).containsExactly(Locale.forLanguageTag("de-CH"), Locale.FRENCH);
            assertThat(snapshot.remoteAddr()).isEqualTo("127.0.0.1");
            assertThat(snapshot.remotePort()).isEqualTo(connection.localPort());
            assertThat(snapshot.localPort()).isEqualTo(app.port());
            assertThat(snapshot.userPrincipal()).isEmpty();
            assertThat(snapshot.isSecure()).isFalse();
            assertThat(snapshot.requestId()).isNotEmpty();
            assertThat(snapshot.toString()).isEqualTo("POST /campaigns/spring/send?dry=no HTTP/1.1 from 127.0.0.1:"
                    + connection.localPort());
        }
    }

    @EveryContainer
    void snapshotIsImmutableAndOutlivesTheRequest(Container container) throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicReference<String> afterSecond = new AtomicReference<>();
        AtomicReference<Throwable> mutation = new AtomicReference<>();
        // Keep-alive: the second request comes on the connection the first one used, where Jetty
        // would hand the first request's object the second one's data.
        try (Deployment app = Deployment.on(container, Map.of("connection-close", "false")).servlet("/who", (request, response) -> {
            AfterResponse.of(request).then(task -> {
                if ("first".equals(task.request().parameter("name").orElse(""))) {
                    first.countDown();
                    Await.hold(checked); // the second request is served meanwhile
                    afterSecond.set(task.request().parameter("name").orElseThrow());
                    try {
                        task.request().parameters().put("x", List.of());
                    } catch (UnsupportedOperationException e) {
                        mutation.set(e);
                    }
                }
            });
        }).start(); RawConnection connection = app.open()) {
            connection.send(Deployment.request("GET", "/who?name=first")).readResponse(TIMEOUT);
            await(first, "the first task");
            assertThat(connection.send(Deployment.request("GET", "/who?name=second")).readResponse(TIMEOUT).statusCode())
                    .isEqualTo(200);
            checked.countDown();
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 2);
        }
        assertThat(afterSecond.get()).isEqualTo("first");
        assertThat(mutation.get()).isInstanceOf(UnsupportedOperationException.class);
    }

    /**
     * A malformed query ({@code %zz} is no escape) makes Jetty and Tomcat throw from
     * {@code getParameterMap}; Undertow answers 400 itself before any filter runs. The task still
     * gets every parameter that can be decoded, and the log has one warning, not one per request.
     */
    @EveryContainer
    void malformedQueryKeepsTheDecodableParametersAndLogsOnce(Container container) throws Exception {
        List<RequestSnapshot> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LogCapture log = new LogCapture(); Deployment app = Deployment.on(container).servlet("/send",
                (request, response) -> AfterResponse.of(request).then(task -> seen.add(task.request()))).start()) {
            String[] queries = {"x=%zz&campaign=7&to=a%40example.com", "campaign=7&x=%zz&to=a%40example.com",
                    "to=a%40example.com&campaign=7&x=%"};
            int accepted = 0;
            for (String query : queries) {
                RawResponse response = app.get("/send?" + query);
                if (container == Container.UNDERTOW) {
                    assertThat(response.statusCode()).as("Undertow refuses it before the filter").isEqualTo(400);
                    continue;
                }
                assertThat(response.statusCode()).isEqualTo(200);
                accepted++;
            }
            int expected = accepted;
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == expected);
            assertThat(seen).hasSize(accepted).allSatisfy(snapshot -> {
                assertThat(snapshot.parameter("campaign")).hasValue("7");
                assertThat(snapshot.parameter("to")).hasValue("a@example.com");
                assertThat(snapshot.parameters()).doesNotContainKey("x");
            });
            if (accepted > 0) {
                assertThat(log.warningsContaining("parameters")).as("one warning for all malformed requests")
                        .hasSize(1);
            }
        }
    }

    /**
     * Tasks should not use the HttpSession: persistent and replicated session stores save a session
     * when its request ends, so what a task changes there afterwards is kept by in-memory stores
     * only. Chosen session attributes and the session id come with the snapshot instead; a request
     * without a session gets none, and none is created for it.
     */
    @EveryContainer
    void chosenSessionAttributesAndTheSessionIdAreInTheSnapshot(Container container) throws Exception {
        List<RequestSnapshot> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        String sessionId;
        try (Deployment app = Deployment.on(container, Map.of("snapshot-session-attributes", "user, absent"))
                .servlet("/mine", (request, response) -> {
                    if (request.getParameter("login") != null) {
                        var session = request.getSession();
                        session.setAttribute("user", "alice");
                        session.setAttribute("cart", "not chosen");
                        response.getWriter().print(session.getId());
                    }
                    AfterResponse.of(request).then(task -> seen.add(task.request()));
                }).start()) {
            sessionId = app.get("/mine?login=yes").bodyText(java.nio.charset.StandardCharsets.US_ASCII);
            RawResponse anonymous = app.get("/mine");
            assertThat(anonymous.header("Set-Cookie")).as("no session is created for the snapshot").isEmpty();
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> seen.size() == 2);
        }
        RequestSnapshot loggedIn = seen.stream().filter(s -> s.parameter("login").isPresent()).findFirst().orElseThrow();
        assertThat(loggedIn.sessionId()).hasValue(sessionId);
        assertThat(loggedIn.sessionAttributes()).containsExactly(Map.entry("user", "alice"));
        assertThat(loggedIn.sessionAttribute("user")).hasValue("alice");
        RequestSnapshot anonymous = seen.stream().filter(s -> s.parameter("login").isEmpty()).findFirst().orElseThrow();
        assertThat(anonymous.sessionId()).isEmpty();
        assertThat(anonymous.sessionAttributes()).isEmpty();
    }
}
