package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Await.hold;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static io.github.afterresponse.it.Deployment.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A task that captured the servlet's request or response and uses it after the response gets a
 * clear {@link IllegalStateException}, never another client's data (on Jetty a recycled request
 * reads the next request's headers on the same keep-alive connection). What is deliberately left
 * usable (the session, a copy of the connection's description) is shown to belong to this client.
 */
class GuardIT {

    @EveryContainer
    void capturedRequestAndResponseRefuseUseWhileTheNextRequestIsServedOnTheSameConnection(Container container)
            throws Exception {
        CountDownLatch firstTaskWaiting = new CountDownLatch(1);
        CountDownLatch secondInServlet = new CountDownLatch(1);
        CountDownLatch firstTaskChecked = new CountDownLatch(1);
        List<String> seenByTask = new CopyOnWriteArrayList<>();
        List<Throwable> refusals = new CopyOnWriteArrayList<>();
        // Keep-alive on, so the second request arrives on the connection the first one used.
        try (Deployment app = Deployment.on(container, Map.of("connection-close", "false"))
                .servlet("/mail", (request, response) -> {
                    String client = request.getHeader("X-Client");
                    response.getWriter().print("hello " + client);
                    if ("A".equals(client)) {
                        HttpServletRequest capturedRequest = request;
                        HttpServletResponse capturedResponse = response;
                        AfterResponse.of(request).then(task -> {
                            firstTaskWaiting.countDown();
                            await(secondInServlet, "the second request");
                            try {
                                seenByTask.add(capturedRequest.getHeader("X-Client"));
                            } catch (IllegalStateException e) {
                                refusals.add(e);
                            }
                            try {
                                capturedResponse.getWriter().print(" LEAKED");
                            } catch (IllegalStateException e) {
                                refusals.add(e);
                            }
                            try {
                                capturedResponse.setHeader("X-Leaked", "yes");
                            } catch (IllegalStateException e) {
                                refusals.add(e);
                            }
                            firstTaskChecked.countDown();
                        });
                    } else {
                        secondInServlet.countDown();
                        hold(firstTaskChecked);
                    }
                }).start(); RawConnection connection = app.open()) {

            RawResponse first = connection.send(request("GET", "/mail", "X-Client: A")).readResponse(TIMEOUT);
            assertThat(first.bodyText(StandardCharsets.US_ASCII)).isEqualTo("hello A");
            await(firstTaskWaiting, "the first task");
            RawResponse second = connection.send(request("GET", "/mail", "X-Client: B")).readResponse(TIMEOUT);

            assertThat(second.bodyText(StandardCharsets.US_ASCII)).isEqualTo("hello B");
            assertThat(second.header("X-Leaked")).isEmpty();
        }
        assertThat(seenByTask).as("the task must never read the other client's header").isEmpty();
        assertThat(refusals).hasSize(3).allSatisfy(e -> assertThat(e)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("After Response: the re"));
        assertThat(refusals.get(0)).hasMessageContaining("use TaskContext.request(), an immutable snapshot");
        assertThat(refusals.get(1)).hasMessageContaining("nothing more can be written to this client");
    }

    @EveryContainer
    void objectsTakenFromTheRequestAndResponseRefuseUseAfterTheResponse(Container container) throws Exception {
        // Found on Jetty before the guard covered them: a kept ServletInputStream read the next
        // request's body on the same keep-alive connection.
        CountDownLatch firstTaskWaiting = new CountDownLatch(1);
        CountDownLatch secondInServlet = new CountDownLatch(1);
        CountDownLatch firstTaskChecked = new CountDownLatch(1);
        List<String> leaked = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        try (Deployment app = Deployment.on(container, Map.of("connection-close", "false"))
                .servlet("/pay", (request, response) -> {
                    if ("A".equals(request.getHeader("X-Client"))) {
                        jakarta.servlet.ServletInputStream body = request.getInputStream();
                        java.io.PrintWriter writer = response.getWriter();
                        jakarta.servlet.RequestDispatcher dispatcher = request.getRequestDispatcher("/pay");
                        writer.print("A paid");
                        AfterResponse.of(request).then(task -> {
                            firstTaskWaiting.countDown();
                            await(secondInServlet, "the second request");
                            attempt(refused, leaked, "input stream", () -> new String(body.readAllBytes(),
                                    StandardCharsets.US_ASCII));
                            attempt(refused, leaked, "writer", () -> {
                                writer.print(" and LEAKED");
                                return "printed";
                            });
                            attempt(refused, leaked, "dispatcher", () -> {
                                dispatcher.include(request, response);
                                return "included";
                            });
                            firstTaskChecked.countDown();
                        });
                    } else {
                        response.getWriter().print("B paid");
                        secondInServlet.countDown();
                        hold(firstTaskChecked);
                    }
                }).start(); RawConnection connection = app.open()) {

            connection.send(request("POST", "/pay", "X-Client: A", "Content-Length: 0")).readResponse(TIMEOUT);
            await(firstTaskWaiting, "the first task");
            String card = "card=4111-1111-1111-1111";
            connection.send(request("POST", "/pay", "X-Client: B", "Content-Type: text/plain",
                    "Content-Length: " + card.length()) + card);
            RawResponse second = connection.readResponse(TIMEOUT);
            assertThat(second.bodyText(StandardCharsets.US_ASCII)).isEqualTo("B paid");
        }
        assertThat(leaked).as("nothing of the second client may reach the first task").isEmpty();
        assertThat(refused).containsExactly("input stream", "writer", "dispatcher");
    }

    private interface Attempt {
        String run() throws Exception;
    }

    private static void attempt(List<String> refused, List<String> leaked, String what, Attempt attempt) {
        try {
            leaked.add(what + ": " + attempt.run());
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("After Response: the re")) {
                refused.add(what);
            } else {
                leaked.add(what + " failed differently: " + e);
            }
        } catch (Exception e) {
            leaked.add(what + " failed differently: " + e);
        }
    }

    @EveryContainer
    void registeringWorkAfterTheResponseIsRefused(Container container) throws Exception {
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container).servlet("/late", (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request);
            exchange.then(task -> {
                try {
                    exchange.then(again -> { });
                } catch (IllegalStateException e) {
                    refusal.set(e);
                }
            }).onComplete(c -> done.countDown());
        }).start()) {
            app.get("/late");
            await(done, "the callback");
        }
        assertThat(refusal.get()).hasMessageContaining("too late to register a task").hasMessageContaining("RUNNING");
    }

    @EveryContainer
    void withoutTheFilterAfterResponseSaysHowToMapIt(Container container) throws Exception {
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        io.github.afterresponse.testkit.WebApp app = io.github.afterresponse.testkit.WebApp.create()
                .servlet("bare", ((Handler) (request, response) -> {
                    try {
                        AfterResponse.of(request);
                    } catch (IllegalStateException e) {
                        refusal.set(e);
                    }
                    response.getWriter().print(AfterResponse.find(request).isPresent());
                }).servlet(), true, "/bare");
        try (var server = container.start(app)) {
            RawResponse response = io.github.afterresponse.testkit.RawHttpClient.get(server.port(), "/bare");
            assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("false");
        }
        assertThat(refusal.get()).hasMessageContaining("no AfterResponseFilter is mapped for this request");
    }

    /**
     * The request's reader reads ahead into its buffer, and a part's stream may read pooled memory
     * (Jetty) or a temporary file the container deletes: kept by a task, both refuse every read,
     * even of what the reader had buffered already.
     */
    @EveryContainer
    void keptReaderAndPartStreamRefuseEvenWhatTheyHeld(Container container) throws Exception {
        List<String> leaked = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        try (Deployment app = Deployment.on(container)
                .servlet("/lines", (request, response) -> {
                    java.io.BufferedReader reader = request.getReader();
                    String first = reader.readLine(); // the rest now waits in the reader's buffer
                    response.getWriter().print(first);
                    AfterResponse.of(request).then(task -> {
                        attempt(refused, leaked, "buffered line", reader::readLine);
                        attempt(refused, leaked, "reader ready", () -> String.valueOf(reader.ready()));
                        attempt(refused, leaked, "reader lines", () -> reader.lines().findFirst().orElse("none"));
                    }).onComplete(c -> done.countDown());
                })
                .multipartServlet("/upload", (request, response) -> {
                    jakarta.servlet.http.Part part = request.getPart("file");
                    java.io.InputStream content = part.getInputStream();
                    response.getWriter().print(part.getSubmittedFileName());
                    AfterResponse.of(request).then(task -> {
                        attempt(refused, leaked, "part stream", () -> new String(content.readAllBytes(),
                                StandardCharsets.US_ASCII));
                        attempt(refused, leaked, "part", () -> String.valueOf(part.getSize()));
                    }).onComplete(c -> done.countDown());
                })
                .start()) {
            String lines = "first line\nsecond line\nthird line\n";
            RawResponse first;
            try (RawConnection connection = app.open()) { // each one closed: the tasks ask for Connection: close
                first = connection.send(request("POST", "/lines", "Content-Type: text/plain",
                        "Content-Length: " + lines.length()) + lines).readResponse(TIMEOUT);
            }
            assertThat(first.bodyText(StandardCharsets.US_ASCII)).isEqualTo("first line");
            String boundary = "b0undary";
            String form = "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n"
                    + "alice@example.com\r\nbob@example.com\r\n"
                    + "--" + boundary + "--\r\n";
            RawResponse second;
            try (RawConnection connection = app.open()) {
                second = connection.send(request("POST", "/upload",
                        "Content-Type: multipart/form-data; boundary=" + boundary,
                        "Content-Length: " + form.length()) + form).readResponse(TIMEOUT);
            }
            assertThat(second.bodyText(StandardCharsets.US_ASCII)).isEqualTo("list.csv");
            await(done, "both tasks");
        }
        assertThat(leaked).isEmpty();
        assertThat(refused).containsExactlyInAnyOrder("buffered line", "reader ready", "reader lines", "part stream",
                "part");
    }

    /**
     * Deliberately usable after the response: the connection's description, as a copy taken when
     * the servlet asked; and the session object, which belongs to its session, not to the request,
     * so that another client's request served meanwhile on the same connection does not change
     * what it says.
     */
    @EveryContainer
    void keptSessionAndConnectionStillDescribeThisClient(Container container) throws Exception {
        CountDownLatch firstTaskWaiting = new CountDownLatch(1);
        CountDownLatch secondServed = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
        try (Deployment app = Deployment.on(container, Map.of("connection-close", "false"))
                .servlet("/who", (request, response) -> {
                    String client = request.getHeader("X-Client");
                    jakarta.servlet.http.HttpSession session = request.getSession();
                    session.setAttribute("user", client);
                    response.getWriter().print(session.getId());
                    if ("A".equals(client)) {
                        jakarta.servlet.ServletConnection connection = request.getServletConnection();
                        seen.put("connection in servlet", connection.getConnectionId());
                        AfterResponse.of(request).then(task -> {
                            firstTaskWaiting.countDown();
                            await(secondServed, "the second client's request");
                            seen.put("session id", session.getId());
                            seen.put("session user", String.valueOf(session.getAttribute("user")));
                            seen.put("connection in task", connection.getConnectionId());
                            seen.put("protocol in task", connection.getProtocol());
                            checked.countDown();
                        });
                    }
                }).start(); RawConnection connection = app.open()) {
            RawResponse first = connection.send(request("GET", "/who", "X-Client: A")).readResponse(TIMEOUT);
            String sessionA = first.bodyText(StandardCharsets.US_ASCII);
            await(firstTaskWaiting, "the first task");
            RawResponse second = connection.send(request("GET", "/who", "X-Client: B")).readResponse(TIMEOUT);
            assertThat(second.bodyText(StandardCharsets.US_ASCII)).as("B got a session of its own").isNotEqualTo(sessionA);
            secondServed.countDown();
            await(checked, "the first task's checks");
            assertThat(seen.get("session id")).isEqualTo(sessionA);
            assertThat(seen.get("session user")).isEqualTo("A");
            assertThat(seen.get("connection in task")).isEqualTo(seen.get("connection in servlet"));
            assertThat(seen.get("protocol in task")).isEqualToIgnoringCase("HTTP/1.1"); // Tomcat spells it as ALPN does, http/1.1
        }
    }
}
