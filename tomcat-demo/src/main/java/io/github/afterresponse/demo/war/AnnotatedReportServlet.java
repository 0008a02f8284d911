package io.github.afterresponse.demo.war;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.ContinueAfterResponse;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The annotated style: nothing in {@code web.xml}. {@code @WebServlet} declares the servlet, and
 * {@code @ContinueAfterResponse} puts it behind the filter that the core jar's
 * {@code AfterResponseInitializer} maps onto it by servlet name, with a time limit of its own.
 * Answers "report N queued" at once; the report is "built" by a task afterwards.
 */
@WebServlet(name = "annotatedReport", urlPatterns = "/annotated/report", asyncSupported = true)
@ContinueAfterResponse(timeLimit = "30s")
public class AnnotatedReportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final AtomicLong reports = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<SimulatedWork> asked = SimulatedWork.readOrRefuse(request, response);
        if (asked.isEmpty()) {
            return;
        }
        SimulatedWork work = asked.get();
        Gates gates = Gates.of(getServletContext());
        AfterResponse exchange = AfterResponse.of(request);
        ExchangeRecord record = ExchangeLog.of(getServletContext()).begin(exchange, "annotated", request)
                .work(work.describe());
        Answers.write(response, exchange.exchangeId(), "report " + reports.incrementAndGet() + " queued");
        exchange.then(task -> {                 // after the client has the whole answer
            record.workStarted();
            work.perform(gates);
        });
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }
}
