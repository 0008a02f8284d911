package io.github.afterresponse.demo.web;

import io.github.afterresponse.demo.DemoOptions;
import io.github.afterresponse.demo.campaign.CampaignService;
import io.github.afterresponse.demo.campaign.InvalidInput;
import io.github.afterresponse.demo.mail.Letters;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /}: the form that makes a campaign. The count of matching customers follows the
 * audience as it changes ({@code GET /api/audience/count}), and Preview shows the message for the
 * first of them ({@code POST /api/preview}); both are the script's work, the form itself posts
 * without it.
 */
final class ComposePage {

    private final CampaignService campaigns;
    private final DemoOptions options;
    private final Layout layout;

    ComposePage(CampaignService campaigns, DemoOptions options, Layout layout) {
        this.campaigns = campaigns;
        this.options = options;
        this.layout = layout;
    }

    /**
     * The form with these values and, when it came back refused, the error and its field. Each
     * rendering has a new idempotency key: one page, one campaign however often it is submitted.
     */
    String render(ComposeForm form, Optional<InvalidInput> error, String csrfToken) {
        String field = error.map(InvalidInput::field).orElse("");
        long matching;
        try {
            matching = campaigns.count(form.toRequest());
        } catch (InvalidInput e) {
            matching = 0;
        }
        long customers = campaigns.customers().count();
        StringBuilder html = new StringBuilder(8192);
        html.append("<div class=\"page-head\"><h1>New campaign</h1><p class=\"lead\">The answer comes at once; the mails"
                + " follow in the background, ")
                .append(options.rate() == 0 ? "as fast as the SMTP server takes them" : "up to " + Html.count(Math.round(options.rate()))
                        + " a second").append(".</p></div>\n");
        error.ifPresent(e -> html.append("<div class=\"alert\" id=\"error\" role=\"alert\" data-field=\"")
                .append(Html.text(e.field())).append("\"><strong>Not sent:</strong> ").append(Html.text(e.getMessage()))
                .append("</div>\n"));
        html.append("<form id=\"compose\" class=\"compose\" method=\"post\" action=\"/campaigns\" autocomplete=\"off\""
                + " data-count-url=\"/api/audience/count\" data-preview-url=\"/api/preview\" data-csrf-header=\"")
                .append(Csrf.HEADER).append("\">\n")
                .append("<input type=\"hidden\" name=\"").append(Csrf.FIELD).append("\" id=\"csrf\" value=\"")
                .append(Html.text(csrfToken)).append("\">\n")
                .append("<input type=\"hidden\" name=\"").append(ComposeForm.IDEMPOTENCY_KEY).append("\" value=\"")
                .append(UUID.randomUUID()).append("\">\n");

        html.append("<section class=\"card\"><h2>Audience</h2>")
                .append("<fieldset class=\"row").append(invalid(field, "recipients")).append("\" id=\"audience\">")
                .append("<legend class=\"visually-hidden\">Audience</legend>")
                .append(select("segment", "Segment", "any segment", campaigns.customers().segments(), form.segment(), field))
                .append(select("city", "City", "any city", campaigns.customers().cities(), form.city(), field))
                .append("<div class=\"field count\"><span class=\"label\">Recipients</span><output id=\"audience-count\""
                        + " for=\"segment city\" aria-live=\"polite\"><strong id=\"count\">").append(Html.count(matching))
                .append("</strong> of ").append(Html.count(customers)).append(" customers</output></div>")
                .append("</fieldset></section>\n");

        html.append("<section class=\"card\"><div class=\"section-head\"><h2>Message</h2>")
                .append("<p class=\"hint\" id=\"placeholders\">Placeholders: ");
        for (String placeholder : Letters.placeholderNames()) {
            html.append("<code>").append(Html.text(placeholder)).append("</code> ");
        }
        html.append("</p></div>")
                .append("<div class=\"field").append(invalid(field, "subject")).append("\"><label for=\"subject\">Subject</label>")
                .append("<input type=\"text\" id=\"subject\" name=\"subject\" maxlength=\"200\" required value=\"")
                .append(Html.text(form.subject())).append('"').append(ariaInvalid(field, "subject")).append("></div>")
                .append("<div class=\"bodies\">")
                .append(textarea("text", "Plain-text body", "", 8, form.text(), field, true))
                .append(textarea("html", "HTML body", "optional · placeholders are HTML-escaped",
                        8, form.html(), field, false))
                .append("</div><div class=\"row last\">")
                .append("<div class=\"field").append(invalid(field, "replyTo")).append("\"><label for=\"replyTo\">Reply-To"
                        + " <span class=\"optional\">optional</span></label>")
                .append("<input type=\"email\" id=\"replyTo\" name=\"replyTo\" placeholder=\"sales@example.com\" value=\"")
                .append(Html.text(form.replyTo())).append('"').append(ariaInvalid(field, "replyTo")).append("></div>")
                .append("<div class=\"field\"><span class=\"label\">From</span><p class=\"fixed\" id=\"from\">")
                .append(Html.text(options.from())).append("</p></div>")
                .append("<div class=\"actions\"><button type=\"button\" class=\"button secondary\" id=\"preview\">Preview</button>"
                        + "<button type=\"submit\" class=\"button primary\" id=\"send\">Send campaign</button></div>")
                .append("</div></section>\n</form>\n");

        html.append("<section class=\"card preview\" id=\"preview-panel\" hidden><h2>Preview</h2>"
                + "<p class=\"hint\" id=\"preview-note\"></p>"
                + "<div class=\"alert\" id=\"preview-error\" role=\"alert\" hidden></div>"
                + "<dl class=\"headers\"><dt>To</dt><dd id=\"preview-to\"></dd><dt>Subject</dt><dd id=\"preview-subject\"></dd></dl>"
                + "<div class=\"bodies\"><div><h3>Plain text</h3><pre class=\"mail-text\" id=\"preview-text\"></pre></div>"
                + "<div id=\"preview-html-part\" hidden><h3>HTML</h3>"
                + "<iframe class=\"mail-html\" id=\"preview-html\" sandbox=\"\" title=\"HTML part of the preview\"></iframe></div></div>"
                + "</section>\n");
        return layout.page(Layout.Section.COMPOSE, "New campaign", html.toString());
    }

    private static String select(String name, String label, String any, List<String> choices, String chosen, String field) {
        StringBuilder html = new StringBuilder("<div class=\"field").append(invalid(field, name)).append("\"><label for=\"")
                .append(name).append("\">").append(label).append("</label><select id=\"").append(name)
                .append("\" name=\"").append(name).append('"').append(ariaInvalid(field, name)).append("><option value=\"\">")
                .append(any).append("</option>");
        for (String choice : choices) {
            html.append("<option value=\"").append(Html.text(choice)).append('"')
                    .append(choice.equals(chosen) ? " selected" : "").append('>').append(Html.text(choice)).append("</option>");
        }
        return html.append("</select></div>").toString();
    }

    private static String textarea(String name, String label, String hint, int rows, String value, String field,
                                   boolean required) {
        return "<div class=\"field" + invalid(field, name) + "\"><label for=\"" + name + "\">" + label
                + (hint.isEmpty() ? "" : " <span class=\"optional\">" + Html.text(hint) + "</span>")
                + "</label><textarea id=\"" + name + "\" name=\"" + name + "\" rows=\"" + rows + "\"" + (required ? " required" : "")
                + ariaInvalid(field, name) + ">"
                // A newline right after <textarea> is dropped by the parser; one more keeps a leading one.
                + "\n" + Html.text(value) + "</textarea></div>";
    }

    private static String invalid(String field, String name) {
        return field.equals(name) ? " invalid" : "";
    }

    private static String ariaInvalid(String field, String name) {
        return field.equals(name) ? " aria-invalid=\"true\"" : "";
    }
}
