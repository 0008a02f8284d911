package io.github.afterresponse.demo.web;

import io.github.afterresponse.demo.campaign.CampaignRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * What the compose form holds: the defaults a newcomer can send at once, or what was submitted
 * (kept when the form comes back with an error). Empty optional fields count as absent, so that
 * the same form submitted twice is the same request for its idempotency key.
 */
record ComposeForm(String segment, String city, String subject, String text, String html, String replyTo) {

    static final String IDEMPOTENCY_KEY = "idempotencyKey";

    static ComposeForm defaults() {
        return new ComposeForm("", "", "Spring sale in {city}", """
                Dear {name},

                spring has come to {city}, and so has our sale: 20% off everything until Sunday.
                Customers on our {segment} list also get free delivery.

                See you soon,
                The shop team""", """
                <h1>Spring sale in {city}</h1>
                <p>Dear {name},</p>
                <p>spring has come to {city}, and so has our sale: <strong>20% off everything</strong> until Sunday.
                Customers on our {segment} list also get free delivery.</p>
                <p>See you soon,<br>The shop team</p>""", "");
    }

    /** The submitted form; a missing field is empty. */
    static ComposeForm of(HttpServletRequest request) {
        return new ComposeForm(field(request, "segment"), field(request, "city"), field(request, "subject"),
                field(request, "text"), field(request, "html"), field(request, "replyTo"));
    }

    CampaignRequest toRequest() {
        return new CampaignRequest(subject, text, absentIfBlank(html), absentIfBlank(segment), absentIfBlank(city),
                List.of(), absentIfBlank(replyTo));
    }

    private static String field(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        // Browsers send CR LF in text areas; the letters use LF.
        return value == null ? "" : value.replace("\r\n", "\n");
    }

    private static String absentIfBlank(String value) {
        return value.isBlank() ? null : value;
    }
}
