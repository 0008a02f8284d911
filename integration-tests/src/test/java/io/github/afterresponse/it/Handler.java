package io.github.afterresponse.it;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** A servlet body as a lambda; {@link #servlet()} turns it into a servlet that answers every method. */
@FunctionalInterface
interface Handler {

    void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;

    default HttpServlet servlet() {
        Handler handler = this;
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response)
                    throws ServletException, IOException {
                try {
                    handler.handle(request, response);
                } catch (ServletException | IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new ServletException(e);
                }
            }
        };
    }
}
