package io.github.afterresponse.bench.jmh;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.ExecutorChoice;
import io.github.afterresponse.Task;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the buffering wrapper costs a servlet that writes a body of {@link #size} bytes in chunks of
 * {@value #CHUNK} through its output stream or its writer ({@link #output}), per request, to a
 * container that drops the body or copies it once into a buffer of its own ({@link #sink}):
 *
 * <ul>
 *   <li>{@link #direct}: straight to the container's response ({@link StubResponse}), no filter;
 *   <li>{@link #filter}: through {@link AfterResponseFilter#doFilter}, no task registered: the body
 *       is held in the filter's buffer and sent whole with {@code Content-Length} when the servlet
 *       returns;
 *   <li>{@link #filterTask}: the same with a task that does nothing
 *       ({@code AfterResponse.of(request).then(noop)}), run on the request thread by a direct
 *       executor ({@code ExecutorChoice.of(Runnable::run)}): adds the exchange's bookkeeping, the
 *       request snapshot, the end of the body and the completion.
 * </ul>
 *
 * <p>The filter is the real one, constructed with an {@link AfterResponseConfig} and started by its
 * {@code init} on a stub context ({@link StubContext}); only the public API is used. The stubs are
 * reused request after request, as a container reuses its objects, so the allocation per operation
 * ({@code -prof gc}, {@code gc.alloc.rate.norm}) is the servlet's and the filter's. Every operation
 * checks that the whole body reached the container (and, behind the filter, that its length was
 * declared), and the trial ends by checking the filter's monitor: every exchange completed.
 *
 * <p>With the heap of 1 GiB, G1's regions are 1 MiB: the buffer's last doublings for a 1 MiB body
 * (512 KiB and 1 MiB arrays) are humongous allocations, as they would be in a server with that heap.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// A fixed, pre-touched heap: on this project's VMs (Firecracker, free page reporting) the first
// touch of guest memory is expensive, so a heap that grows while measuring turns the allocation of
// the filter's buffer into erratic stalls of up to milliseconds. 1 GiB, as the scale test's -Xmx.
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BufferingBenchmark {

    /** Bytes (or characters, all ASCII) per write call of the servlet. */
    static final int CHUNK = 8 * 1024;

    private static final Task NOOP = context -> { };

    /** Body length in bytes: 1 KiB, 64 KiB, 1 MiB (the default buffer limit, so still held whole). */
    @Param({"1024", "65536", "1048576"})
    public int size;

    /** How the servlet writes: {@code stream} = byte[] through getOutputStream, {@code writer} = char[] through getWriter (UTF-8). */
    @Param({"stream", "writer"})
    public String output;

    /**
     * What the container does with the body ({@link StubResponse}): {@code discard} counts it,
     * {@code copy} also copies it once into a 32 KiB buffer of its own, as a real container does.
     */
    @Param({"discard", "copy"})
    public String sink;

    private final byte[] bytes = new byte[CHUNK];
    private final char[] chars = new char[CHUNK];
    private boolean writer;
    private AfterResponseFilter afterResponse;
    private StubRequest request;
    private StubResponse response;
    private FilterChain plain;
    private FilterChain withTask;

    @Setup(Level.Trial)
    public void setUp() throws ServletException {
        Arrays.fill(bytes, (byte) 'a');
        Arrays.fill(chars, 'a');
        writer = switch (output) {
            case "stream" -> false;
            case "writer" -> true;
            default -> throw new IllegalArgumentException("output must be stream or writer, but was " + output);
        };
        ServletContext context = StubContext.context();
        request = new StubRequest(context);
        response = new StubResponse(switch (sink) {
            case "discard" -> false;
            case "copy" -> true;
            default -> throw new IllegalArgumentException("sink must be discard or copy, but was " + sink);
        });
        AfterResponseConfig config = AfterResponseConfig.builder()
                .executor(ExecutorChoice.of(Runnable::run)) // the task runs on this thread, inside doFilter
                .jmx(false)
                .build();
        afterResponse = new AfterResponseFilter(config);
        afterResponse.init(StubContext.filterConfig("jmh", context));
        plain = (req, res) -> servlet(res);
        withTask = (req, res) -> {
            servlet(res);
            AfterResponse.of(req).then(NOOP);
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        AfterResponseMonitor monitor = afterResponse.monitor();
        long accepted = monitor.accepted();
        long completed = monitor.completed();
        afterResponse.destroy();
        if (completed != accepted || monitor.failed() != 0 || monitor.running() != 0) {
            throw new IllegalStateException("the filter did not complete every exchange: " + monitor);
        }
    }

    /** The servlet: content type, then the body in chunks through the stream or the writer. */
    private void servlet(ServletResponse res) throws IOException {
        if (writer) {
            res.setContentType("text/plain;charset=UTF-8");
            PrintWriter out = res.getWriter();
            for (int left = size; left > 0; left -= CHUNK) {
                out.write(chars, 0, Math.min(CHUNK, left));
            }
        } else {
            res.setContentType("application/octet-stream");
            OutputStream out = res.getOutputStream();
            for (int left = size; left > 0; left -= CHUNK) {
                out.write(bytes, 0, Math.min(CHUNK, left));
            }
        }
    }

    @Benchmark
    public long direct() throws IOException {
        request.recycle();
        response.recycle();
        servlet(response);
        response.complete();
        return check(response, false);
    }

    @Benchmark
    public long filter() throws IOException, ServletException {
        request.recycle();
        response.recycle();
        afterResponse.doFilter(request, response, plain);
        response.complete();
        return check(response, true);
    }

    @Benchmark
    public long filterTask() throws IOException, ServletException {
        request.recycle();
        response.recycle();
        afterResponse.doFilter(request, response, withTask);
        response.complete();
        return check(response, true);
    }

    /** The whole body reached the container; behind the filter, with its length declared. */
    private long check(StubResponse done, boolean filtered) {
        long written = done.bytesWritten();
        if (written != size || filtered && done.declaredContentLength() != size
                || done.getStatus() != HttpServletResponse.SC_OK) {
            throw new IllegalStateException("expected " + size + " bytes, got " + written + " (Content-Length "
                    + done.declaredContentLength() + ", status " + done.getStatus() + ")");
        }
        return written + done.writeCalls();
    }
}
