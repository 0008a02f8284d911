package io.github.afterresponse.it;

// tag::report-servlet[]
import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.ContinueAfterResponse;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;

/** Opted in by its annotation alone: no web.xml entry, no filter mapping. */
@WebServlet(urlPatterns = "/reports", asyncSupported = true)
@ContinueAfterResponse(timeLimit = "10m", abortPolicy = "continue")
public class ReportServlet extends HttpServlet {

    private static final System.Logger LOG = System.getLogger(ReportServlet.class.getName());

    /** Builds one report; a real application would query and render here. */
    public interface Reports {
        void build(String report) throws Exception;
    }

    private final Reports reports;
    private final Consumer<String> log;

    /** As a container creates it from @WebServlet: the reports and the outcomes are only logged here. */
    public ReportServlet() {
        this(report -> LOG.log(System.Logger.Level.INFO, "built " + report),
                line -> LOG.log(System.Logger.Level.INFO, line));
    }

    public ReportServlet(Reports reports, Consumer<String> log) {
        this.reports = reports;
        this.log = log;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String report = request.getParameter("report");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("Report " + report + " queued.");

        AfterResponse.of(request)
                .then(task -> reports.build(report))  // after the client has its answer, within 10 minutes
                .onComplete(done -> log.accept(report + " " + done.outcome() + " status " + done.status().value()));
    }
}
// end::report-servlet[]
