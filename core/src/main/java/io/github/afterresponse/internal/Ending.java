package io.github.afterresponse.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * A {@code sendError} or {@code sendRedirect} the servlet called on the buffering response, held
 * until the response is sent and then replayed on the real one, so the container writes the same
 * status and body as it would without the filter.
 */
sealed interface Ending {

    /** The status the response will have. */
    int status();

    /** Whether the body written so far is dropped. */
    boolean clearsBuffer();

    /** Calls the same method on the real response. */
    void replay(HttpServletResponse response) throws IOException;

    static Ending error(int status, @Nullable String message) {
        return new SendError(status, message);
    }

    static Ending redirect(String location) {
        return new Redirect(location, HttpServletResponse.SC_FOUND, true, false);
    }

    /** A Servlet 6.1 {@code sendRedirect(location, status, clearBuffer)}. */
    static Ending redirect(String location, int status, boolean clearBuffer) {
        return new Redirect(location, status, clearBuffer, true);
    }

    /** {@code sendError(status)} or {@code sendError(status, message)}. */
    record SendError(int status, @Nullable String message) implements Ending {
        @Override
        public boolean clearsBuffer() {
            return true;
        }

        @Override
        public void replay(HttpServletResponse response) throws IOException {
            if (message == null) {
                response.sendError(status);
            } else {
                response.sendError(status, message);
            }
        }
    }

    /** {@code sendRedirect(location)}, or one of the Servlet 6.1 forms with status and clearBuffer. */
    record Redirect(String location, int status, boolean clearsBuffer, boolean servlet61) implements Ending {
        private static final @Nullable MethodHandle SEND_REDIRECT_61 = findSendRedirect61();

        @Override
        public void replay(HttpServletResponse response) throws IOException {
            if (!servlet61 || SEND_REDIRECT_61 == null) {
                response.sendRedirect(location);
                return;
            }
            try {
                SEND_REDIRECT_61.invoke(response, location, status, clearsBuffer);
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private static @Nullable MethodHandle findSendRedirect61() {
            try {
                return MethodHandles.publicLookup().findVirtual(HttpServletResponse.class, "sendRedirect",
                        MethodType.methodType(void.class, String.class, int.class, boolean.class));
            } catch (ReflectiveOperationException e) {
                return null; // a Servlet 6.0 container: the servlet cannot have called the 6.1 form
            }
        }
    }
}
