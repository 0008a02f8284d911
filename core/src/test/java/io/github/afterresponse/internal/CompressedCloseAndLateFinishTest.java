package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.ExchangeState;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A close that fails after container compression reframed the body is an abort (only a body still
 * framed by the length the filter declared counts as delivered once flushed), and a finish() that
 * comes after the shutdown grace ran out is interrupted at once. Both failed on the first fixes.
 */
class CompressedCloseAndLateFinishTest {

    private final List<Completion> completions = new CopyOnWriteArrayList<>();
    private WorkScheduler scheduler;

    @AfterEach
    void stopTimer() {
        if (scheduler != null) {
            scheduler.timeLimits().shutdown();
        }
        Thread.interrupted();
    }

    /**
     * Container compression (Tomcat {@code compression="on"}, Jetty's GzipHandler, Undertow's
     * EncodingHandler) drops the Content-Length the filter sets and frames the body itself: chunked
     * or, with Connection: close, by the close. The flush succeeds with the compressor still
     * holding the gzip trailer (a sync flush), and the close writes it and the last chunk. A close
     * that fails then means the client did NOT get the whole response: it is an abort, and under
     * the cancel policy the work must not run. Holding.send passes {@code lengthDeclared = !trailers}
     * without checking that the length actually went out.
     */
    @Test
    void aCloseFailingAfterCompressionDroppedTheContentLengthIsAnAbort() throws IOException {
        Exchange exchange = new Exchange("r-1", Clock.systemUTC(), completions::add, AbortPolicy.CANCEL,
                Duration.ZERO);
        exchange.enterForeground();
        RecordingResponse recording = new RecordingResponse();
        HttpServletResponse compressing = new CompressingResponse(recording);
        BufferingResponse response = new BufferingResponse(compressing, exchange, 1024, new LogOnce());
        response.setContentType("text/plain");
        response.getOutputStream().print("hello, compressed");

        recording.closeFails = true; // the gzip trailer and the last chunk cannot be written
        response.output().send(new Sending(false, true, false, () -> { }));

        assertThat(compressing.getHeader("Content-Length")).as("compression dropped it").isNull();
        assertThat(exchange.status())
                .as("the body's end never reached the client: that is an abort, as for any chunked body")
                .isEqualTo(ConnectionStatus.ABORTED);
        assertThat(exchange.stop().isStopRequested()).as("the cancel policy cuts the work short").isTrue();
    }

    /**
     * As a container with compression on: a Content-Length set by the application is dropped
     * (the compressed length is unknown), Content-Encoding: gzip is added, and the body is framed
     * by the container; getHeader shows no Content-Length, as Tomcat's does
     * ({@code ExchangeHandler.checkCompressedFinish} relies on it).
     */
    private static final class CompressingResponse extends HttpServletResponseWrapper {
        CompressingResponse(RecordingResponse real) {
            super(real);
            real.setHeader("Content-Encoding", "gzip");
        }

        @Override
        public void setContentLength(int length) {
            // dropped by the compressor
        }

        @Override
        public void setContentLengthLong(long length) {
            // dropped by the compressor
        }

        @Override
        public void setHeader(String name, String value) {
            if (!"Content-Length".equalsIgnoreCase(name)) {
                super.setHeader(name, value);
            }
        }
    }

    /**
     * A finish() that comes after the shutdown grace ran out (the running work has been sampled
     * for its interrupt) but before the shutdown ends: once it was lent and never interrupted,
     * reported SHUT_DOWN with its callbacks while its rest still ran, and its tasks ran afterwards.
     * Now WorkScheduler.lend interrupts it at once.
     */
    @Test
    void aFinishAfterTheGraceRanOutButBeforeTheStopEndedIsInterrupted() throws Exception {
        scheduler = new WorkScheduler(1, 4, new ContainerExecutor(), new TimeLimits("review2"));
        // A: the rest of a servlet that finished before the stop and ignores its interrupt.
        Exchange first = exchange("a");
        BackgroundJob stubborn = new BackgroundJob(first, first.responded(null), null, null,
                StandardCharsets.UTF_8, scheduler);
        CountDownLatch firstInterrupted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Thread firstThread = new Thread(() -> {
            scheduler.lend(stubborn);
            TimeLimits.Limit limit = stubborn.beginHere();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                try {
                    if (releaseFirst.await(20, TimeUnit.SECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    firstInterrupted.countDown(); // ignores it, as a stubborn loop does
                }
            }
            stubborn.endHere(limit, null);
            scheduler.giveBack(stubborn);
        }, "request-a");
        firstThread.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.running() == 1);

        Thread stopping = new Thread(() -> scheduler.shutdown(Duration.ZERO), "destroy");
        stopping.start();
        assertThat(firstInterrupted.await(10, TimeUnit.SECONDS)).as("the grace ran out, A interrupted").isTrue();

        // B: a request admitted before the stop calls finish() now, during the AFTER_INTERRUPT wait.
        Exchange second = exchange("b");
        AtomicInteger ran = new AtomicInteger();
        second.then(task -> ran.incrementAndGet());
        BackgroundJob late = new BackgroundJob(second, second.responded(null), null, null,
                StandardCharsets.UTF_8, scheduler);
        scheduler.lend(late);
        TimeLimits.Limit limit = late.beginHere();
        boolean interrupted;
        try {
            // The rest of B's servlet: some work, at most until the shutdown has given up.
            stopping.join(TimeUnit.SECONDS.toMillis(15));
            interrupted = Thread.currentThread().isInterrupted();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        ExchangeState whileRunning = second.state();
        late.endHere(limit, null);
        scheduler.giveBack(late);
        releaseFirst.countDown();
        firstThread.join(TimeUnit.SECONDS.toMillis(10));
        stopping.join(TimeUnit.SECONDS.toMillis(10)); // it ends once A's rest has been given back

        assertThat(stopping.isAlive()).as("the shutdown ended").isFalse();
        boolean wasInterrupted = interrupted;
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(wasInterrupted).as("the rest of B, lent during the stop, is interrupted").isTrue();
            soft.assertThat(whileRunning).as("B's callbacks did not run while its rest still ran")
                    .isNotEqualTo(ExchangeState.DONE);
            soft.assertThat(ran).as("B's tasks do not run after the stop").hasValue(0);
        });
    }

    private Exchange exchange(String id) {
        Exchange exchange = new Exchange(id, Clock.systemUTC(), completions::add, AbortPolicy.CANCEL, Duration.ZERO);
        exchange.enterForeground();
        return exchange;
    }
}
