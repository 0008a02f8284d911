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
}
