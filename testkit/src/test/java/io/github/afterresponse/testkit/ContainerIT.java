package io.github.afterresponse.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/** Self-test of the harness on every container. */
class ContainerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Answers "hello" with an explicit Content-Length. */
    static final class HelloServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            resp.setContentLength(5);
            resp.getOutputStream().write("hello".getBytes(UTF_8));
        }
    }

    /** Answers without a length and flushes, so HTTP/1.1 uses chunked. */
    static final class ChunkedServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getOutputStream().write("one,".getBytes(UTF_8));
            resp.flushBuffer();
            resp.getOutputStream().write("two".getBytes(UTF_8));
        }
    }

    /** Appends its name and its "tag" init parameter to the X-Filters response header. */
    static final class TaggingFilter implements Filter {
        final AtomicReference<String> tag = new AtomicReference<>();

        @Override
        public void init(FilterConfig config) {
            tag.set(config.getFilterName() + "=" + config.getInitParameter("tag"));
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                throws IOException, ServletException {
            ((HttpServletResponse) resp).addHeader("X-Filters", tag.get());
            chain.doFilter(req, resp);
        }
    }

    /** A filter whose init rejects its configuration. */
    static final class FailingFilter implements Filter {
        @Override
        public void init(FilterConfig config) throws ServletException {
            throw new ServletException("bad init-param 'mode': " + config.getInitParameter("mode"));
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain) {
            throw new AssertionError("never initialised");
        }
    }

    private static WebApp helloApp() {
        return WebApp.create().servlet("hello", new HelloServlet(), true, "/hello");
    }

    @EveryContainer
    void servletAnswersOverRawHttp(Container container) throws Exception {
        try (RunningServer server = container.start(helloApp())) {
            assertThat(server.container()).isEqualTo(container);
            assertThat(server.uri("/hello").toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/hello");

            RawResponse response = RawHttpClient.get(server.port(), "/hello");

            assertThat(response.protocol()).isEqualTo("HTTP/1.1");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.rawHead()).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n");
            assertThat(response.contentLength()).hasValue(5);
            assertThat(response.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(response.chunked()).isFalse();
            assertThat(response.body()).isEqualTo("hello".getBytes(UTF_8));
            assertThat(response.rawBody()).isEqualTo("hello".getBytes(UTF_8));
        }
    }

    @EveryContainer
    void chunkedBodyIsDecodedAndConnectionKeptAlive(Container container) throws Exception {
        WebApp app = WebApp.create().servlet("chunked", new ChunkedServlet(), false, "/chunked");
        try (RunningServer server = container.start(app);
             RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse first = connection.readResponse(TIMEOUT);

            assertThat(first.chunked()).isTrue();
            assertThat(first.bodyText(UTF_8)).isEqualTo("one,two");
            assertThat(new String(first.rawBody(), UTF_8)).endsWith("0\r\n\r\n");
            assertThat(connection.awaitServerClose(Duration.ofMillis(200))).isFalse();

            // Same connection, second request: proves exactly one response was consumed.
            connection.send("HEAD /chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawResponse head = connection.readResponse(TIMEOUT, true);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(connection.awaitServerClose(TIMEOUT)).isTrue();
        }
    }

    @EveryContainer
    void serverClosesAfterConnectionClose(Container container) throws Exception {
        try (RunningServer server = container.start(helloApp());
             RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(connection.readResponse(TIMEOUT).bodyText(UTF_8)).isEqualTo("hello");
            assertThat(connection.awaitServerClose(TIMEOUT)).isTrue();
        }
    }

    @EveryContainer
    void filtersSeeInitParamsAndApplyInRegistrationOrder(Container container) throws Exception {
        WebApp app = helloApp()
                .filter("first", new TaggingFilter(), Map.of("tag", "A"), true, "/*")
                .filter("second", new TaggingFilter(), Map.of("tag", "B"), true, "/hello", "/other");
        try (RunningServer server = container.start(app)) {
            RawResponse response = RawHttpClient.get(server.port(), "/hello");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers("X-Filters")).containsExactly("first=A", "second=B");
        }
    }

    @EveryContainer
    void failingFilterInitFailsStartWithOriginalException(Container container) {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mode", "sideways");
        WebApp app = helloApp().filter("failing", new FailingFilter(), params, true, "/*");

        assertThatThrownBy(() -> container.start(app).close())
                .isInstanceOf(ServerStartException.class)
                .hasMessageContaining("bad init-param 'mode': sideways")
                .hasRootCauseInstanceOf(ServletException.class)
                .hasRootCauseMessage("bad init-param 'mode': sideways");
        assertNoThreadsLeftSince(before);
    }

    @EveryContainer
    void failingServletInitFailsStart(Container container) {
        HttpServlet failing = new HttpServlet() {
            @Override
            public void init() throws ServletException {
                throw new ServletException("servlet says no");
            }
        };
        WebApp app = helloApp().servlet("failing", failing, false, "/failing");

        assertThatThrownBy(() -> container.start(app).close())
                .isInstanceOf(ServerStartException.class)
                .hasRootCauseMessage("servlet says no");
    }

    @EveryContainer
    void listenerAndContextPath(Container container) throws Exception {
        AtomicReference<String> initialised = new AtomicReference<>();
        WebApp app = helloApp().contextPath("/app").listener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent sce) {
                initialised.set(sce.getServletContext().getContextPath());
            }
        });
        try (RunningServer server = container.start(app)) {
            assertThat(initialised).hasValue("/app");
            assertThat(server.servletContext().getContextPath()).isEqualTo("/app");
            assertThat(server.uri("/hello").getPath()).isEqualTo("/app/hello");
            assertThat(RawHttpClient.get(server.port(), "/app/hello").bodyText(UTF_8)).isEqualTo("hello");
            assertThat(RawHttpClient.get(server.port(), "/hello").statusCode()).isEqualTo(404);
        }
    }

    @EveryContainer
    void closeReleasesThePortAndThreads(Container container) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        int port;
        try (RunningServer server = container.start(helloApp())) {
            port = server.port();
            assertThat(RawHttpClient.get(port, "/hello").statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertNoThreadsLeftSince(before);
    }

    @EveryContainer
    void closeIsBoundedWhileARequestIsStuck(Container container) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServlet stuck = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                resp.getWriter().print("late");
            }
        };
        RunningServer server = container.start(WebApp.create().servlet("stuck", stuck, false, "/stuck"));
        try (RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            server.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(Duration.ofSeconds(8));
        } finally {
            release.countDown();
        }
    }

    @EveryH2cContainer
    void h2cPriorKnowledgeGet(Container container) throws Exception {
        try (RunningServer server = container.start(helloApp())) {
            assertThat(server.supportsH2c()).isTrue();

            H2cResponse response = H2cClient.get(server.port(), "/hello");

            assertThat(response.protocol()).isEqualTo("HTTP/2.0");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(UTF_8)).isEqualTo("hello");
            assertThat(response.headers()).allSatisfy(h -> assertThat(h.name()).isLowerCase());
            assertThat(response.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        }
    }

    /** Threads started since {@code before} (other than the shared h2c client's) must all end. */
    private static void assertNoThreadsLeftSince(Set<Thread> before) {
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Set<String> leaked = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && !t.getName().startsWith("testkit-h2c-client"))
                    .map(Thread::getName)
                    .collect(Collectors.toSet());
            assertThat(leaked).isEmpty();
        });
    }
}
