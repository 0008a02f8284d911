package io.github.afterresponse.demo;

import io.github.afterresponse.AfterResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code POST /campaigns} with {@code subject} and {@code count}: answers "queued" at once, then
 * mails {@code count} customers after the response has been sent. {@code GET /campaigns/N} tells
 * how campaign N is doing.
 */
final class CampaignServlet extends HttpServlet {

    static final int MAX_COUNT = 10_000;
    private static final System.Logger LOG = System.getLogger(CampaignServlet.class.getName());

    private final Campaigns campaigns;
    private final SmtpMailer mailer;

    CampaignServlet(Campaigns campaigns, SmtpMailer mailer) {
        this.campaigns = campaigns;
        this.mailer = mailer;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String subject = request.getParameter("subject");
        int count = count(request.getParameter("count"));
        if (subject == null || subject.isBlank() || count < 1) {
            response.sendError(400, "subject must be given and count must be between 1 and " + MAX_COUNT);
            return;
        }
        Campaigns.Campaign campaign = campaigns.create(count);
        List<String> recipients = IntStream.rangeClosed(1, count)
                .mapToObj(i -> "customer" + i + "@example.com")
                .toList();

        response.setStatus(202);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Location", request.getContextPath() + "/campaigns/" + campaign.id());
        response.getWriter().println("Queued campaign " + campaign.id() + ": " + count + " mails, \"" + subject + "\".");

        AfterResponse.of(request)
                .then(task -> mailer.send("news@example.com", recipients, subject,
                        "Dear customer,\n\n" + subject + "\n", sent -> {
                            campaign.sent(sent);
                            task.progress(sent, count); // shown by the filter's monitor and in JMX
                        }))
                .onComplete(campaign::ended)
                .onComplete(done -> LOG.log(System.Logger.Level.INFO, campaign.describe()));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        Campaigns.Campaign campaign = path == null ? null : campaigns.find(count(path.substring(1))).orElse(null);
        if (campaign == null) {
            response.sendError(404, "no such campaign");
            return;
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println(campaign.describe());
    }

    private static int count(String value) {
        try {
            int count = Integer.parseInt(value == null ? "" : value.trim());
            return count <= MAX_COUNT ? count : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
