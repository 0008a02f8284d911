package io.github.afterresponse.demo.web;

import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.demo.campaign.CampaignView;
import io.github.afterresponse.demo.store.Campaign;
import io.github.afterresponse.demo.store.CampaignState;
import io.github.afterresponse.demo.store.CampaignStore;
import io.github.afterresponse.demo.store.Recipient;
import io.github.afterresponse.demo.store.RecipientState;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /campaigns/{id}}: one campaign, its progress, the buttons that apply to its state,
 * and the recipients that failed. While it is queued or sending, the script polls {@code GET
 * /api/campaigns/{id}} and updates the figures; when it stops, the script loads the page again,
 * which then shows the buttons and failures of the new state.
 */
final class CampaignPage {

    static final int FAILURES_PER_PAGE = 20;

    private final CampaignStore store;
    private final Layout layout;

    CampaignPage(CampaignStore store, Layout layout) {
        this.store = store;
        this.layout = layout;
    }

    /**
     * Whether the figures still change: the script polls only then. A SENDING campaign with no run
     * that Resume applies to (its ending could not be stored) changes no more until someone acts.
     */
    static boolean changing(CampaignView view) {
        CampaignState state = view.campaign().state();
        return view.active() || state == CampaignState.QUEUED || state == CampaignState.SENDING && !view.resumable();
    }

    String render(CampaignView view, Pager failures, String csrfToken) {
        Campaign c = view.campaign();
        String state = c.state().name();
        StringBuilder html = new StringBuilder(8192);
        html.append("<div id=\"campaign\" data-api=\"/api/campaigns/").append(c.id()).append("\" data-poll=\"")
                .append(changing(view)).append("\" data-interval=\"500\">\n");
        html.append("<div class=\"page-head\"><p class=\"kicker\"><a href=\"/campaigns\">Campaigns</a> / #").append(c.id())
                .append("</p><h1 id=\"subject\">").append(Html.text(c.subject())).append("</h1>")
                .append("<p class=\"lead\">To <span id=\"audience\">").append(Html.text(c.audience())).append("</span> · ")
                .append(Html.count(c.total())).append(c.total() == 1 ? " recipient" : " recipients")
                .append(" · created ").append(Html.time(c.createdAt())).append("</p></div>\n");

        html.append("<section class=\"card progress-card").append(c.state() == CampaignState.COMPLETED ? " done" : "")
                .append("\"><div class=\"status-line\">")
                .append(Html.state("state", state))
                .append("<span class=\"stop-requested\" id=\"stop-requested\"").append(view.stopRequested().isPresent() ? "" : " hidden")
                .append(">").append(Html.text(view.stopRequested().map(s -> s + " requested, at the next recipient").orElse("")))
                .append("</span><span class=\"percent\" id=\"percent\">").append(view.percentDone()).append("%</span></div>")
                .append("<progress id=\"progress\" max=\"").append(Math.max(1, c.total())).append("\" value=\"")
                .append(c.total() == 0 ? 1 : view.sent() + view.failed()).append("\" aria-label=\"Progress\">")
                .append(view.percentDone()).append("%</progress>")
                .append("<dl class=\"stats\">")
                .append(stat("sent", "Sent", Integer.toString(view.sent())))
                .append(stat("failed", "Failed", Integer.toString(view.failed())))
                .append(stat("pending", "Remaining", Integer.toString(view.pending())))
                .append(stat("rate", "Rate", Html.rate(view.rate())))
                .append(stat("eta", "Time left", Html.eta(view.eta())))
                .append("</dl>")
                .append("<p class=\"reason\" id=\"reason\"").append(c.reason().isPresent() ? "" : " hidden").append('>')
                .append(Html.text(c.reason().orElse(""))).append("</p>")
                .append(actions(view, csrfToken))
                .append("</section>\n");

        html.append(failures(c, failures));
        html.append(details(c));
        html.append("</div>");
        return layout.page(Layout.Section.CAMPAIGNS, "Campaign " + c.id() + ": " + c.subject(), html.toString());
    }

    private static String stat(String id, String label, String value) {
        return "<div class=\"stat stat-" + id + "\"><dt>" + label + "</dt><dd id=\"" + id + "\">" + Html.text(value) + "</dd></div>";
    }

    /** The buttons that apply now; each a form, so that they work without the script. */
    private static String actions(CampaignView view, String csrfToken) {
        CampaignState state = view.campaign().state();
        Optional<String> stop = view.stopRequested();
        boolean pause = view.active() && stop.isEmpty();
        boolean resume = view.resumable();
        boolean cancel = !state.isFinal() && stop.filter("cancel"::equals).isEmpty();
        if (!pause && !resume && !cancel) {
            return "";
        }
        StringBuilder html = new StringBuilder("<div class=\"actions\" id=\"actions\">");
        long id = view.campaign().id();
        if (pause) {
            html.append(action(id, "pause", "Pause", "secondary", csrfToken));
        }
        if (resume) {
            html.append(action(id, "resume", "Resume", "primary", csrfToken));
        }
        if (cancel) {
            html.append(action(id, "cancel", "Cancel", "danger", csrfToken));
        }
        return html.append("</div>").toString();
    }

    private static String action(long id, String action, String label, String kind, String csrfToken) {
        return "<form method=\"post\" action=\"/campaigns/" + id + "/" + action + "\" class=\"inline\">"
                + "<input type=\"hidden\" name=\"" + Csrf.FIELD + "\" value=\"" + Html.text(csrfToken) + "\">"
                + "<button type=\"submit\" class=\"button " + kind + "\" id=\"" + action + "\">" + label + "</button></form>";
    }

    private static String details(Campaign c) {
        return "<section class=\"card\"><h2>Details</h2><dl class=\"details\">"
                + "<dt>From</dt><dd>" + Html.text(c.sender()) + "</dd>"
                + c.replyTo().map(r -> "<dt>Reply-To</dt><dd>" + Html.text(r) + "</dd>").orElse("")
                + "<dt>Started</dt><dd id=\"started\">" + Html.time(c.startedAt()) + "</dd>"
                + "<dt>Finished</dt><dd id=\"finished\">" + Html.time(c.finishedAt()) + "</dd>"
                + "<dt>Runs</dt><dd id=\"runs\">" + c.runs() + "</dd>"
                + "<dt>Last exchange</dt><dd>" + c.outcome().map(o -> Html.text(o) + c.connectionStatus()
                        .map(s -> ", connection status " + s + " (" + connectionStatus(s) + ")").orElse(""))
                        .orElse("none ended yet") + "</dd>"
                + "</dl><details><summary>Plain-text body</summary><pre class=\"mail-text\">" + Html.text(c.text()) + "</pre></details>"
                + c.html().map(h -> "<details><summary>HTML body (source)</summary><pre class=\"mail-text\">" + Html.text(h)
                        + "</pre></details>").orElse("")
                + "</section>\n";
    }

    private static String connectionStatus(int value) {
        try {
            return ConnectionStatus.of(value).name();
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    private String failures(Campaign c, Pager pager) {
        long total = pager.total();
        StringBuilder html = new StringBuilder("<section class=\"card\" id=\"results\"><div class=\"section-head\"><h2>Failures")
                .append(" <span class=\"muted\" id=\"failure-count\">").append(Html.count(total)).append("</span></h2>")
                .append("<a href=\"/campaigns/").append(c.id()).append("/recipients\" id=\"all-recipients\">All recipients →</a></div>")
                // Shown by the script when more have failed since the page was made; the list itself is not live.
                .append("<p class=\"hint\" id=\"failures-note\" data-listed=\"").append(total).append("\" hidden>More have failed"
                        + " since this page was loaded; the list is brought up to date when sending stops.</p>");
        if (total == 0) {
            html.append("<p class=\"empty\" id=\"failures\">No recipient has failed").append(c.state().isFinal() ? "." : " so far.")
                    .append("</p>");
        } else {
            List<Recipient> rows = store.recipients(c.id(), Optional.of(RecipientState.FAILED), pager.limit(), pager.offset());
            html.append("<table class=\"table\" id=\"failures\"><thead><tr><th>Recipient</th><th>Reason</th>"
                    + "<th class=\"num\">Attempts</th><th>When (UTC)</th></tr></thead><tbody>");
            for (Recipient r : rows) {
                html.append("<tr><td><div>").append(Html.text(r.name())).append("</div><div class=\"muted\">")
                        .append(Html.text(r.email())).append("</div></td><td class=\"reason-cell\">")
                        .append(Html.text(r.reason().orElse(""))).append("</td><td class=\"num\">").append(r.attempts())
                        .append("</td><td class=\"nowrap\">").append(Html.cellTime(r.finishedAt())).append("</td></tr>");
            }
            html.append("</tbody></table>")
                    .append(pager.nav("failures-pager", offset -> "/campaigns/" + c.id() + "?failedOffset=" + offset + "#results"));
        }
        return html.append("</section>\n").toString();
    }
}
