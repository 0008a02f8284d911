package io.github.afterresponse.demo.web;

import io.github.afterresponse.demo.store.Campaign;
import io.github.afterresponse.demo.store.CampaignStore;
import io.github.afterresponse.demo.store.Recipient;
import io.github.afterresponse.demo.store.RecipientState;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /campaigns/{id}/recipients?state=&offset=}: every recipient of a campaign with its
 * delivery state, attempts, Message-ID and reason, filtered by state and paged.
 */
final class RecipientsPage {

    static final int PER_PAGE = 50;

    private final CampaignStore store;
    private final Layout layout;

    RecipientsPage(CampaignStore store, Layout layout) {
        this.store = store;
        this.layout = layout;
    }

    /**
     * The state the {@code state} parameter names, empty for all.
     *
     * @throws Pager.BadParameter (as a bad parameter) unless it is empty, pending, sent or failed
     */
    static Optional<RecipientState> state(String parameter) throws Pager.BadParameter {
        if (parameter == null || parameter.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RecipientState.valueOf(parameter.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new Pager.BadParameter("state must be pending, sent or failed, but was '" + parameter + "'");
        }
    }

    String render(Campaign c, Optional<RecipientState> state, Pager pager) {
        String filter = state.map(s -> "state=" + s.name().toLowerCase(Locale.ROOT) + "&amp;").orElse("");
        StringBuilder html = new StringBuilder(16384);
        html.append("<div class=\"page-head\"><p class=\"kicker\"><a href=\"/campaigns\">Campaigns</a> / <a href=\"/campaigns/")
                .append(c.id()).append("\">#").append(c.id()).append("</a> / recipients</p><h1>Recipients of “")
                .append(Html.text(c.subject())).append("”</h1></div>\n<section class=\"card\">");
        html.append("<nav class=\"tabs\" aria-label=\"Filter by state\">")
                .append(tab(c.id(), Optional.empty(), state, "All", store.countRecipients(c.id(), Optional.empty())));
        for (RecipientState s : RecipientState.values()) {
            String label = s.name().charAt(0) + s.name().substring(1).toLowerCase(Locale.ROOT);
            html.append(tab(c.id(), Optional.of(s), state, label, store.countRecipients(c.id(), Optional.of(s))));
        }
        html.append("</nav>");
        html.append("<div class=\"table-wrap\"><table class=\"table\" id=\"recipients\"><thead><tr><th class=\"num\">Customer</th><th>Recipient</th>"
                + "<th>State</th><th class=\"num\">Attempts</th><th>Message-ID or reason</th><th>When (UTC)</th></tr></thead><tbody>");
        for (Recipient r : store.recipients(c.id(), state, pager.limit(), pager.offset())) {
            html.append("<tr><td class=\"num\">").append(r.customerId()).append("</td><td><div>").append(Html.text(r.name()))
                    .append("</div><div class=\"muted\">").append(Html.text(r.email())).append("</div></td><td>")
                    .append(Html.state("", r.state().name())).append("</td><td class=\"num\">").append(r.attempts())
                    .append("</td>").append(r.messageId().isPresent()
                            ? "<td><code class=\"message-id\">" + Html.text(r.messageId().get()) + "</code></td>"
                            : "<td class=\"reason-cell\">" + Html.text(r.reason().orElse("")) + "</td>")
                    .append("<td class=\"when\">").append(Html.cellTimeHtml(r.finishedAt())).append("</td></tr>");
        }
        html.append("</tbody></table></div>")
                .append(pager.nav("recipients-pager", offset -> "/campaigns/" + c.id() + "/recipients?" + filter + "offset=" + offset))
                .append("</section>");
        return layout.page(Layout.Section.CAMPAIGNS, "Recipients of campaign " + c.id(), html.toString());
    }

    private static String tab(long id, Optional<RecipientState> tab, Optional<RecipientState> current, String label, long count) {
        return "<a href=\"/campaigns/" + id + "/recipients" + tab.map(s -> "?state=" + s.name().toLowerCase(Locale.ROOT)).orElse("")
                + "\"" + (tab.equals(current) ? " class=\"current\" aria-current=\"page\"" : "") + ">" + label
                + " <span class=\"muted\">" + Html.count(count) + "</span></a>";
    }
}
