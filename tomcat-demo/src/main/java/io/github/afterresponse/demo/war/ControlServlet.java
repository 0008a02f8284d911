package io.github.afterresponse.demo.war;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /control/release?token=<token>} opens a {@link Gates gate}, letting held work go on.
 * Behind no filter, so it answers however busy the background work is.
 */
@WebServlet(name = "control", urlPatterns = "/control/release")
public class ControlServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String token = request.getParameter("token");
        if (!Gates.isValidToken(token)) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "token must be 1 to 64 of [A-Za-z0-9_-]");
            return;
        }
        try {
            Gates.of(getServletContext()).release(token);
        } catch (IllegalStateException e) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, e.getMessage());
            return;
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("released " + token);
    }
}
