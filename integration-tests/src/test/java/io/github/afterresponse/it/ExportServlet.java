package io.github.afterresponse.it;

// tag::export-servlet[]
import io.github.afterresponse.AfterResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A servlet that knows nothing of the toolkit but one call: mapped in web.xml behind the filter,
 * it answers, calls finish() (PHP's fastcgi_finish_request()), then does its long work in place.
 */
public class ExportServlet extends HttpServlet {

    /** Exports one table; a real application would write a file and mail a link here. */
    public interface Exporter {
        void export(String table) throws IOException;
    }

    private final Exporter exporter;

    /** As a container creates it from web.xml: the export only logs here. */
    public ExportServlet() {
        this(table -> System.getLogger("export").log(System.Logger.Level.INFO, "exported " + table));
    }

    public ExportServlet(Exporter exporter) {
        this.exporter = exporter;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String table = request.getParameter("table");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("Exporting " + table + "; a mail follows when it is ready.");

        AfterResponse.of(request).finish();  // the client has its whole answer now

        exporter.export(table);              // on this thread, under the filter's time limit
    }
}
// end::export-servlet[]
