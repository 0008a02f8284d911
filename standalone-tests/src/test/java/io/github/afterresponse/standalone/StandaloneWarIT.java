package io.github.afterresponse.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.afterresponse.standalone.StatusPage.Exchange;
import io.github.afterresponse.testkit.H2cClient;
import io.github.afterresponse.testkit.H2cResponse;
import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The WAR on each real standalone server, from outside: every server is started once for this
 * class (on first use) and stopped by the last test, which checks the graceful stop.
 *
 * <p>"Early" is checked by order, not by time: held work waits on a gate that only this test opens,
 * and it opens it only after it has read the complete response and seen the work running on the
 * status page. A response that waited for the work would never arrive, and the read would fail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneWarIT {

    private static final RunningServers SERVERS = new RunningServers("checks");
    private static final Duration SETTLE = Duration.ofSeconds(20);

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void annotatedServletAnswersWholeWhileItsTaskIsHeld(ServerKind kind) throws IOException {
        StandaloneServer server = SERVERS.get(kind);
        String gate = token();

        Http.Answer answer = Http.get(server, "/annotated/report?hold=" + gate);

        assertWholeEarlyAnswer(answer, "report ");
        Exchange running = awaitWorkRunning(server, answer.exchangeId());
        assertThat(running.style()).isEqualTo("annotated");
        // No check of the thread's name: AsyncContext.start hands the task to the request pool,
        // and Tomcat 10.1 was seen running it on the very thread that had just run the servlet.

        Http.release(server, gate);
        Exchange done = awaitOutcome(server, answer.exchangeId());
        assertThat(done.outcome()).contains("COMPLETED");
        assertThat(done.status()).isZero();
        assertThat(done.callbacksRun()).isGreaterThanOrEqualTo(1);
        SERVERS.used(kind);
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void webXmlServletFinishesEarlyAndWorksInline(ServerKind kind) throws IOException {
        StandaloneServer server = SERVERS.get(kind);
        String gate = token();

        Http.Answer answer = Http.get(server, "/legacy/export?hold=" + gate);

        assertWholeAnswer(answer, "export ");
        // After finish() the servlet still holds its request thread, and only Jetty closes the
        // connection then; Tomcat (10.1 and 11) and Payara Micro (Grizzly) close it when the
        // servlet returns. The client has the whole body (Content-Length) either way.
        assertThat(answer.closedAfterwards())
                .as("connection closed while the servlet still works after finish()")
                .isEqualTo(kind == ServerKind.JETTY_12);
        Exchange running = awaitWorkRunning(server, answer.exchangeId());
        assertThat(running.style()).isEqualTo("legacy");
        assertThat(running.workThread().orElseThrow())
                .as("after finish() the servlet goes on on its own request thread")
                .isEqualTo(running.requestThread());

        Http.release(server, gate);
        Exchange done = awaitOutcome(server, answer.exchangeId());
        assertThat(done.outcome()).contains("COMPLETED");
        assertThat(done.status()).isZero();
        assertThat(done.filter()).as("the web.xml filter's afterCompletion saw it").isEqualTo("legacy");
        assertThat(done.callbacksRun()).as("the servlet's onComplete and the filter's hook").isEqualTo(2);
        SERVERS.used(kind);
    }

    @Order(3)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void programmaticFilterRunsTheMailOnTheServersExecutor(ServerKind kind) throws IOException {
        StandaloneServer server = SERVERS.get(kind);
        String gate = token();

        Http.Answer answer = Http.get(server, "/programmatic/mail?to=someone@example.invalid&hold=" + gate);

        assertWholeEarlyAnswer(answer, "mail to someone@example.invalid queued");
        Exchange running = awaitWorkRunning(server, answer.exchangeId());
        StatusPage page = StatusPage.fetch(server);
        if (kind.isPayara()) {
            assertThat(page.programmaticExecutor()).isEqualTo("jndi:java:comp/DefaultManagedExecutorService");
            assertThat(running.workThread().orElseThrow())
                    .as("a thread of Payara's default managed executor")
                    .contains("__defaultManagedExecutorService-managedThreadFactory");
        } else {
            // Tomcat and Jetty bind nothing at java:comp/DefaultManagedExecutorService.
            assertThat(page.programmaticExecutor()).isEqualTo("container");
            assertThat(page.programmaticExecutorReason()).contains("failed");
        }

        Http.release(server, gate);
        Exchange done = awaitOutcome(server, answer.exchangeId());
        assertThat(done.outcome()).contains("COMPLETED");
        assertThat(done.filter()).isEqualTo("programmatic");
        assertThat(done.callbacksRun()).isEqualTo(2);
        assertThat(server.logText()).contains("after-response-demo: simulated mail to someone@example.invalid sent on "
                + running.workThread().orElseThrow());
        SERVERS.used(kind);
    }

    @Order(4)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void statusPagePassesThroughNoFilter(ServerKind kind) throws IOException {
        StandaloneServer server = SERVERS.get(kind);

        StatusPage first = StatusPage.fetch(server);
        RawResponse html = RawHttpClient.get(server.port(), server.path("/status"));
        StatusPage second = StatusPage.fetch(server);

        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(html.bodyText(StandardCharsets.UTF_8)).contains("<h1>After Response status</h1>");
        assertThat(second.acceptedByAllFilters())
                .as("no filter admitted the status requests in between")
                .isEqualTo(first.acceptedByAllFilters());
        assertThat(second.exchanges()).noneMatch(e -> e.path().contains("/status"));
        assertThat(first.response().header(Http.EXCHANGE_ID)).isEmpty();
        assertThat(first.filters()).extracting(f -> f.get("name").getAsString()).contains("legacy", "programmatic");
        SERVERS.used(kind);
    }

    @Order(5)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void h2cPriorKnowledgeGetsTheWholeAnswerWithoutConnectionHeader(ServerKind kind) throws IOException {
        StandaloneServer server = SERVERS.get(kind);
        String gate = token();

        H2cResponse response = H2cClient.get(server.port(), server.path("/programmatic/mail?hold=" + gate));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.protocol()).isEqualTo("HTTP/2.0");
        String body = response.bodyText(StandardCharsets.UTF_8);
        assertThat(body).startsWith("mail to nobody@example.invalid queued");
        assertThat(response.header("content-length")).contains(Integer.toString(response.body().length));
        assertThat(response.header("connection")).as("HTTP/2 forbids connection-specific headers").isEmpty();
        String id = response.header("x-exchange-id").orElseThrow();
        awaitWorkRunning(server, id);

        Http.release(server, gate);
        Exchange done = awaitOutcome(server, id);
        assertThat(done.outcome()).contains("COMPLETED");
        assertThat(done.status()).isZero();
        SERVERS.used(kind);
    }

    @Order(6)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void gzipBodyArrivesWholeWhileTheWorkIsHeld(ServerKind kind) throws IOException {
        StandaloneServer server = SERVERS.get(kind);
        String gate = token();

        Http.Answer answer = Http.get(server, "/programmatic/mail?hold=" + gate, "Accept-Encoding: gzip");

        assertThat(answer.response().statusCode()).isEqualTo(200);
        assertThat(answer.response().header("Content-Encoding")).contains("gzip");
        assertThat(answer.gunzippedBody()).startsWith("mail to nobody@example.invalid queued (exchange " + answer.exchangeId() + ")");
        Exchange running = awaitWorkRunning(server, answer.exchangeId());
        assertThat(running.outcome()).isEmpty();

        Http.release(server, gate);
        assertThat(awaitOutcome(server, answer.exchangeId()).outcome()).contains("COMPLETED");
        SERVERS.used(kind);
    }

    /**
     * finish() under the server's gzip: Jetty and Payara deliver the whole compressed body while the
     * rest runs; Tomcat drops the Content-Length to compress, ends the body with the close and
     * closes only when the servlet returns, and the toolkit names that in a WARNING.
     */
    @Order(6)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void gzipAfterFinishArrivesWholeOrIsNamed(ServerKind kind) throws Exception {
        StandaloneServer server = SERVERS.get(kind);
        String gate = token();
        Set<String> before = new HashSet<>();
        StatusPage.fetch(server).exchanges().forEach(e -> before.add(e.id()));

        CompletableFuture<Http.Answer> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return Http.get(server, "/legacy/export?hold=" + gate, "Accept-Encoding: gzip");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Exchange running;
        try {
            running = awaitNewExchange(server, before, "legacy");
            if (kind.isTomcat()) {
                await().atMost(SETTLE).untilAsserted(() -> assertThat(server.logText())
                        .contains("Tomcat compressed the response of"));
                Http.release(server, gate);
            }
            Http.Answer whole = answer.get(Http.RESPONSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(whole.response().header("Content-Encoding")).contains("gzip");
            assertThat(whole.gunzippedBody()).startsWith("export ");
            if (!kind.isTomcat()) {
                assertThat(StatusPage.fetch(server).exchanges()).filteredOn(e -> e.id().equals(running.id()))
                        .singleElement().satisfies(e -> assertThat(e.outcome())
                                .as("the rest still runs when the whole body has arrived").isEmpty());
            }
        } finally {
            Http.release(server, gate);
        }
        assertThat(awaitOutcome(server, running.id()).outcome()).contains("COMPLETED");
        SERVERS.used(kind);
    }

    @Order(7)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void indexPageLinksTheThreeStylesAndTheStatusPage(ServerKind kind) throws IOException {
        StandaloneServer server = SERVERS.get(kind);

        RawResponse index = RawHttpClient.get(server.port(), server.path("/"));

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.bodyText(StandardCharsets.UTF_8))
                .contains("href=\"annotated/report\"", "href=\"legacy/export\"", "href=\"programmatic/mail", "href=\"status\"");
        SERVERS.used(kind);
    }

    /** Only loopback addresses: every socket the server JVM listens on is bound to one. */
    @Order(8)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void listensOnLoopbackOnly(ServerKind kind) throws IOException {
        Assumptions.assumeTrue(ListeningSockets.available(), "needs Linux's /proc/net/tcp");
        StandaloneServer server = SERVERS.get(kind);

        List<String> listening = ListeningSockets.of(server.pid());

        assertThat(listening).as("%s listens on", kind).isNotEmpty()
                .anySatisfy(address -> assertThat(address).endsWith(":" + server.port()));
        assertThat(ListeningSockets.allLoopback(listening)).as("%s listens on %s", kind, listening).isTrue();
        SERVERS.used(kind);
    }

    /** Last: it stops the server. */
    @Order(100)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void sigtermLetsEveryCallbackRunAndLogItsLine(ServerKind kind) throws IOException {
        StandaloneServer server = SERVERS.get(kind);
        SoftAssertions softly = new SoftAssertions();
        // Ends within the 5 s shutdown grace (COMPLETED): 2 s of simulated work.
        Optional<String> shortWork = startWork(server, "/programmatic/mail?work=2000", softly);
        // Never opened: these run into the grace and are interrupted (SHUT_DOWN).
        Optional<String> legacy = startWork(server, "/legacy/export?hold=" + token(), softly);
        Optional<String> annotated = startWork(server, "/annotated/report?hold=" + token(), softly);

        long begin = System.nanoTime();
        boolean exited = server.terminate(Duration.ofSeconds(45));
        long stopMillis = Duration.ofNanos(System.nanoTime() - begin).toMillis();
        SERVERS.used(kind);

        assertThat(exited).as(kind + " exits by itself after SIGTERM (took " + stopMillis + " ms)").isTrue();
        String log = server.logText();
        shortWork.ifPresent(id -> softly.assertThat(log)
                .contains("after-response-demo: exchange " + id + " programmatic COMPLETED status 0"));
        legacy.ifPresent(id -> softly.assertThat(log)
                .containsPattern("after-response-demo: exchange " + id + " legacy (SHUT_DOWN|COMPLETED) status \\d"));
        annotated.ifPresent(id -> softly.assertThat(log)
                .containsPattern("after-response-demo: exchange " + id + " annotated (SHUT_DOWN|COMPLETED) status \\d"));
        softly.assertAll();
    }

    /** Starts work and waits until it runs; a style that does not answer is a soft failure. */
    private static Optional<String> startWork(StandaloneServer server, String pathInWar, SoftAssertions softly) throws IOException {
        Http.Answer answer = Http.get(server, pathInWar);
        softly.assertThat(answer.response().statusCode()).as(pathInWar + ": " + answer.response()).isEqualTo(200);
        if (answer.response().statusCode() != 200) {
            return Optional.empty();
        }
        awaitWorkRunning(server, answer.exchangeId());
        return Optional.of(answer.exchangeId());
    }

    private static void assertWholeEarlyAnswer(Http.Answer answer, String bodyStart) {
        assertWholeAnswer(answer, bodyStart);
        assertThat(answer.closedAfterwards()).as("the server closed the connection after the response").isTrue();
    }

    private static void assertWholeAnswer(Http.Answer answer, String bodyStart) {
        RawResponse response = answer.response();
        assertThat(response.statusCode()).as(response.toString()).isEqualTo(200);
        assertThat(response.chunked()).isFalse();
        assertThat(response.contentLength()).as("Content-Length").hasValue(response.body().length);
        assertThat(answer.body()).startsWith(bodyStart).endsWith("(exchange " + answer.exchangeId() + ")\n");
        assertThat(response.header("Connection")).as("Connection on HTTP/1.1 with background work").contains("close");
    }

    /** Waits until the status page shows the exchange's work started, and not ended. */
    private static Exchange awaitWorkRunning(StandaloneServer server, String id) {
        Exchange exchange = awaitExchange(server, id, e -> e.workThread().isPresent() || e.outcome().isPresent());
        assertThat(exchange.outcome()).as("the held work is still running: " + exchange).isEmpty();
        return exchange;
    }

    private static Exchange awaitOutcome(StandaloneServer server, String id) {
        return awaitExchange(server, id, e -> e.outcome().isPresent());
    }

    /** Waits until the status page lists a running exchange of that style that was not there before. */
    private static Exchange awaitNewExchange(StandaloneServer server, Set<String> before, String style) {
        AtomicReference<Exchange> seen = new AtomicReference<>();
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> {
                    StatusPage.fetch(server).exchanges().stream()
                            .filter(e -> !before.contains(e.id()) && e.style().equals(style)
                                    && e.workThread().isPresent() && e.outcome().isEmpty())
                            .findFirst().ifPresent(seen::set);
                    return seen.get() != null;
                });
        return seen.get();
    }

    private static Exchange awaitExchange(StandaloneServer server, String id, Predicate<Exchange> condition) {
        AtomicReference<Exchange> seen = new AtomicReference<>();
        try {
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> {
                        Exchange exchange = StatusPage.fetch(server).exchange(id).orElse(null);
                        seen.set(exchange);
                        return exchange != null && condition.test(exchange);
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("exchange " + id + " on " + server + " not as expected within " + SETTLE
                    + "; last seen: " + seen.get(), e);
        }
        return seen.get();
    }

    private static String token() {
        return "g" + UUID.randomUUID().toString().replace("-", "");
    }
}
