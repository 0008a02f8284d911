package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.spring.boot.it.app.Held;
import io.github.afterresponse.spring.boot.it.app.ThreadStateProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The request's MDC, trace and security principal reach the task; nothing stays on the pooled
 * thread. On the filter's own pool of one platform thread: with the container executor, Spring
 * Security's request wrapper carries its context through {@code AsyncContext.start} by itself
 * (and takes it off again after the whole job), which would hide what the auto-configuration does.
 */
class ContextPropagationIT {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static ConfigurableApplicationContext app;
    private static int port;

    @BeforeAll
    static void start() {
        app = Apps.start("after-response.executor=platform", "after-response.threads=1");
        port = Apps.port(app);
    }

    @AfterAll
    static void stop() {
        Held.releaseAll();
        app.close();
    }

    @AfterEach
    void release() {
        Held.releaseAll();
    }

    @Test
    void theTasksLogLineCarriesTheRequestsMdcAndTraceAndTheWorkerThreadIsLeftClean() throws Exception {
        try (LogCapture log = new LogCapture("io.github.afterresponse.spring.boot.it.app.HeldController")) {
            RawHttp.Response response = RawHttp.get(port, "/held?key=mdc", "X-Tag: tag-mdc",
                    "traceparent: 00-" + TRACE_ID + "-00f067aa0ba902b7-01");
            assertThat(response.status()).isEqualTo(200);
            Held.Entry entry = Held.entry("mdc");
            Held.Seen seen = entry.seen.get(10, TimeUnit.SECONDS);

            assertThat(seen.traceId()).as("the tracer's current span on the task's thread").isEqualTo(TRACE_ID);
            ILoggingEvent line = log.events().stream().filter(e -> e.getFormattedMessage().equals("task mdc runs"))
                    .findFirst().orElseThrow();
            assertThat(line.getThreadName()).isEqualTo(seen.thread()).startsWith("after-response-afterResponse-");
            assertThat(line.getMDCPropertyMap()).containsEntry("requestTag", "tag-mdc").containsEntry("traceId", TRACE_ID);

            entry.release();
            assertThat(entry.completion.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.COMPLETED);
        }
        // Before the task (and its callback) the pooled thread had nothing of this request, and after
        // them nothing is left: no MDC entry, no principal.
        await().atMost(Duration.ofSeconds(10)).until(() -> ThreadStateProbe.states("tag-mdc").size() >= 4);
        assertThat(ThreadStateProbe.states("tag-mdc")).allSatisfy(state -> {
            assertThat(state.mdc()).as(state.phase() + " on " + state.thread()).satisfiesAnyOf(
                    mdc -> assertThat(mdc).isNull(), mdc -> assertThat(mdc).isEmpty());
            assertThat(state.user()).isNull();
        });
    }

    @Test
    void theSpringSecurityPrincipalIsSeenInTheTaskAndNotOnThePooledThreadAfterwards() throws Exception {
        assertThat(RawHttp.get(port, "/secure/held?key=anonymous").status()).isEqualTo(401);

        RawHttp.Response response = RawHttp.get(port, "/secure/held?key=sec", "X-Tag: tag-sec",
                RawHttp.basic("alice", "secret"));
        assertThat(response.status()).isEqualTo(200);
        Held.Entry entry = Held.entry("sec");
        Held.Seen seen = entry.seen.get(10, TimeUnit.SECONDS);
        assertThat(seen.user()).isEqualTo("alice");
        entry.release();
        entry.completion.get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> ThreadStateProbe.states("tag-sec").size() >= 4);
        assertThat(ThreadStateProbe.states("tag-sec"))
                .allSatisfy(state -> assertThat(state.user()).as(state.phase() + " on " + state.thread()).isNull());
    }
}
