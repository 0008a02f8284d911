package io.github.afterresponse.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The page with the Send form. */
final class IndexServlet extends HttpServlet {

    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Bulk mailer — After Response demo</title></head>
            <body>
            <h1>Bulk mailer</h1>
            <p>The answer comes at once; the mails go out afterwards.</p>
            <form method="post" action="campaigns">
              <label>Subject <input name="subject" value="Spring sale" required></label>
              <label>Customers <input name="count" type="number" min="1" max="10000" value="100" required></label>
              <button type="submit">Send</button>
            </form>
            </body>
            </html>
            """;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().print(PAGE);
    }
}
