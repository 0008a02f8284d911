package io.github.afterresponse.demo.war;

import io.github.afterresponse.AfterResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The legacy style, PHP's {@code fastcgi_finish_request()}: a plain servlet declared only in
 * {@code web.xml}, behind the filter declared there. It writes its answer, calls
 * {@link AfterResponse#finish()}, and goes on with the long work inline, on its own request
 * thread, which the filter then treats as background work (time limit, shutdown, callbacks).
 */
public class LegacyExportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final AtomicLong exports = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<SimulatedWork> asked = SimulatedWork.readOrRefuse(request, response);
        if (asked.isEmpty()) {
            return;
        }
        SimulatedWork work = asked.get();
        AfterResponse exchange = AfterResponse.of(request);
        ExchangeRecord record = ExchangeLog.of(getServletContext()).begin(exchange, "legacy", request)
                .work(work.describe());
        Answers.write(response, exchange.exchangeId(), "export " + exports.incrementAndGet() + " started");

        exchange.finish();                       // the client has its whole answer now

        record.workStarted();
        try {
            work.perform(Gates.of(getServletContext()));
        } catch (InterruptedException e) {
            // The time limit or the shutdown: the filter reports it in the completion.
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e); // ends the exchange FAILED
        }
    }
}
