package io.github.afterresponse.bench;

import io.github.afterresponse.AfterResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * What every measured path of {@link OverheadServer} answers: {@link LoadServer#BODY} (200 bytes,
 * {@code text/plain}, with {@code Content-Length}), optionally with {@code Connection: close} or with a
 * trivial task and {@code onComplete} callback that only count.
 */
final class BodyServlet extends HttpServlet {

    /** What the servlet adds to the plain answer. */
    enum Mode {
        /** Nothing. */
        PLAIN,
        /** {@code Connection: close}, set by the servlet: a new TCP connection per request, without the filter. */
        CLOSE,
        /** A task and a callback, each incrementing a counter of its {@link FilteredPath}. */
        TASK
    }

    private final Mode mode;
    private final transient FilteredPath counted; // null unless TASK

    private BodyServlet(Mode mode, FilteredPath counted) {
        this.mode = mode;
        this.counted = counted;
    }

    static BodyServlet plain() {
        return new BodyServlet(Mode.PLAIN, null);
    }

    static BodyServlet close() {
        return new BodyServlet(Mode.CLOSE, null);
    }

    static BodyServlet task(FilteredPath counted) {
        return new BodyServlet(Mode.TASK, Objects.requireNonNull(counted, "counted"));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setContentLength(LoadServer.BODY.length);
        if (mode == Mode.CLOSE) {
            response.setHeader("Connection", "close");
        }
        response.getOutputStream().write(LoadServer.BODY);
        if (mode == Mode.TASK) {
            FilteredPath path = counted;
            AfterResponse.of(request)
                    .then(task -> path.runs().increment())
                    .onComplete(done -> path.callbacks().increment());
        }
    }
}
