package io.github.afterresponse.demo.war;

import io.github.afterresponse.AfterResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The programmatic style: registered with its filter by {@link DemoSetup}, no annotation and no
 * {@code web.xml} entry. Answers "mail to X queued" at once, then "sends" the mail in a task.
 *
 * <p>The sending is simulated ({@link SimulatedWork}) and logged: a real Jakarta Mail session from
 * JNDI would need the mail jars in the server's own class path on Tomcat (its
 * {@code MailSessionFactory} is loaded by the server, not the web application), which the other
 * servers here do not share.
 */
public class ProgrammaticMailServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger("io.github.afterresponse.demo.war");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<SimulatedWork> asked = SimulatedWork.readOrRefuse(request, response);
        if (asked.isEmpty()) {
            return;
        }
        SimulatedWork work = asked.get();
        String to = request.getParameter("to") == null ? "nobody@example.invalid" : request.getParameter("to");
        Gates gates = Gates.of(getServletContext());
        AfterResponse exchange = AfterResponse.of(request);
        ExchangeRecord record = ExchangeLog.of(getServletContext()).begin(exchange, "programmatic", request)
                .work(work.describe());
        Answers.write(response, exchange.exchangeId(), "mail to " + to + " queued");
        exchange.then(task -> {
            record.workStarted();
            work.perform(gates);
            LOG.log(Level.INFO, "after-response-demo: simulated mail to {0} sent on {1}",
                    to, Thread.currentThread().getName());
        });
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }
}
