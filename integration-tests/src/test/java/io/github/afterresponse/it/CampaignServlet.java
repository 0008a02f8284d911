package io.github.afterresponse.it;

// tag::campaign-servlet[]
import io.github.afterresponse.AfterResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** Answers "queued" at once and mails the recipients after the response has been sent. */
public class CampaignServlet extends HttpServlet {

    /** Sends one mail; a real application would use Jakarta Mail here. */
    public interface Mailer {
        void send(String recipient, String subject) throws Exception;
    }

    private final Mailer mailer;
    private final Consumer<String> log;

    public CampaignServlet(Mailer mailer, Consumer<String> log) {
        this.mailer = mailer;
        this.log = log;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String subject = request.getParameter("subject");
        String[] to = request.getParameterValues("to");
        if (subject == null || to == null) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "subject and at least one to are required");
            return;                                   // no task registered: nothing runs afterwards
        }
        List<String> recipients = List.of(to);

        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("Queued " + recipients.size() + " mails: " + subject);

        AfterResponse.of(request)
                .then(task -> {                       // runs after the client has its answer
                    for (String recipient : recipients) {
                        mailer.send(recipient, subject);
                    }
                })
                .onComplete(done -> log.accept(       // exactly once, whatever happened
                        done.exchangeId() + " ended " + done.outcome() + " with status " + done.status().value()));
    }
}
// end::campaign-servlet[]
