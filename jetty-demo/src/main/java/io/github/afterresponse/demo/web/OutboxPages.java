package io.github.afterresponse.demo.web;

import io.github.afterresponse.demo.DemoOptions;
import io.github.afterresponse.demo.mail.Outbox;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /outbox} and {@code GET /outbox/{n}}: what the embedded SMTP server received, newest
 * first, and one message with its headers, its parts and its raw source. Mail is shown as text
 * only: the HTML part in a sandboxed frame (no script, no plug-in, an origin of its own) and as
 * escaped source.
 */
final class OutboxPages {

    static final int PER_PAGE = 50;
    private static final Pattern CAMPAIGN_MESSAGE_ID = Pattern.compile("<campaign-(\\d+)\\.customer-(\\d+)@");

    private final DemoOptions options;
    private final Layout layout;

    OutboxPages(DemoOptions options, Layout layout) {
        this.options = options;
        this.layout = layout;
    }

    /** The page that says there is no outbox: mail goes to another server. */
    String unavailable() {
        return layout.page(Layout.Section.OUTBOX, "Outbox", "<div class=\"page-head\"><h1>Outbox</h1></div>"
                + "<section class=\"card\" id=\"no-outbox\"><p>Mail goes to the configured SMTP server, <code>"
                + Html.text(options.smtpHost() + ":" + options.smtpPort()) + "</code>; the outbox is not available."
                + " It shows what the embedded server receives, when the mailer runs with <code>--smtp-host=embedded</code>"
                + " (the default).</p></section>");
    }

    String list(Outbox outbox, Pager pager) {
        StringBuilder html = new StringBuilder(16384);
        html.append("<div class=\"page-head\"><h1>Outbox</h1><p class=\"lead\"><strong id=\"outbox-total\">")
                .append(Html.count(pager.total())).append("</strong>").append(pager.total() == 1 ? " mail" : " mails")
                .append(" received by the embedded SMTP server on 127.0.0.1, newest first; kept in memory until the mailer stops.")
                .append("</p></div>\n<section class=\"card\">");
        if (pager.total() == 0) {
            html.append("<p class=\"empty\" id=\"mails\">Nothing received yet.</p>");
        } else {
            html.append("<table class=\"table\" id=\"mails\"><thead><tr><th class=\"num\">#</th><th>Received (UTC)</th><th>To</th>"
                    + "<th>Subject</th></tr></thead><tbody>");
            for (Outbox.Mail mail : outbox.newest(pager.offset(), pager.limit())) {
                String link = "/outbox/" + mail.number();
                html.append("<tr id=\"mail-").append(mail.number()).append("\"><td class=\"num\"><a href=\"").append(link)
                        .append("\">").append(mail.number()).append("</a></td><td class=\"nowrap\">")
                        .append(Html.cellTime(mail.receivedAt())).append("</td><td>").append(Html.text(MailParts.decoded(mail.to())))
                        .append("</td><td class=\"subject-cell\"><a href=\"").append(link).append("\">").append(Html.text(mail.subject()))
                        .append("</a></td></tr>");
            }
            html.append("</tbody></table>").append(pager.nav("mails-pager", offset -> "/outbox?offset=" + offset));
        }
        html.append("</section>");
        return layout.page(Layout.Section.OUTBOX, "Outbox", html.toString());
    }

    String mail(Outbox.Mail mail) {
        MailParts parts = MailParts.of(mail.message());
        Matcher campaign = CAMPAIGN_MESSAGE_ID.matcher(parts.messageId());
        StringBuilder html = new StringBuilder(16384);
        html.append("<div class=\"page-head\"><p class=\"kicker\"><a href=\"/outbox\">Outbox</a> / #").append(mail.number())
                .append("</p><h1 id=\"mail-subject\">").append(Html.text(parts.subject())).append("</h1><p class=\"lead\">Received ")
                .append(Html.time(mail.receivedAt()))
                .append(campaign.find() ? " · from <a href=\"/campaigns/" + campaign.group(1) + "\">campaign #" + campaign.group(1) + "</a>" : "")
                .append("</p></div>\n");
        html.append("<section class=\"card\"><dl class=\"headers\" id=\"mail-headers\">")
                .append(header("From", "mail-from", parts.from()))
                .append(header("To", "mail-to", parts.to()))
                .append(header("Subject", "mail-subject-header", parts.subject()))
                .append(header("Message-ID", "mail-message-id", parts.messageId()))
                .append(header("Date", "mail-date", parts.date()))
                .append("</dl></section>\n");
        html.append("<section class=\"card\"><h2>Plain text</h2>").append(parts.text()
                .map(t -> "<pre class=\"mail-text\" id=\"mail-text\">" + Html.text(t) + "</pre>")
                .orElse("<p class=\"empty\" id=\"mail-text\">No plain-text part.</p>")).append("</section>\n");
        parts.html().ifPresent(h -> html.append("<section class=\"card\"><h2>HTML</h2>")
                .append("<p class=\"hint\">Shown in a sandboxed frame: no scripts, no remote images.</p>")
                .append("<iframe class=\"mail-html\" id=\"mail-html\" sandbox=\"\" title=\"HTML part\" srcdoc=\"")
                .append(Html.text(h)).append("\"></iframe>")
                .append("<details><summary>HTML source</summary><pre class=\"mail-text\" id=\"mail-html-source\">")
                .append(Html.text(h)).append("</pre></details></section>\n"));
        html.append("<section class=\"card\"><details id=\"raw\"><summary>Raw message</summary><pre class=\"raw\" id=\"mail-raw\">")
                .append(Html.text(mail.raw())).append("</pre></details></section>");
        return layout.page(Layout.Section.OUTBOX, "Mail " + mail.number() + ": " + parts.subject(), html.toString());
    }

    private static String header(String name, String id, String value) {
        return "<dt>" + name + "</dt><dd id=\"" + id + "\">" + Html.text(value) + "</dd>";
    }
}
