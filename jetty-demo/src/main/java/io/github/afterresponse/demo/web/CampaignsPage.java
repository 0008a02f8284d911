package io.github.afterresponse.demo.web;

import io.github.afterresponse.demo.campaign.CampaignService;
import io.github.afterresponse.demo.campaign.CampaignView;
import io.github.afterresponse.demo.store.Campaign;
import io.github.afterresponse.demo.store.CampaignState;

/** {@code GET /campaigns?offset=}: the campaigns, newest first, with their state and progress. */
final class CampaignsPage {

    static final int PER_PAGE = 20;

    private final CampaignService campaigns;
    private final Layout layout;

    CampaignsPage(CampaignService campaigns, Layout layout) {
        this.campaigns = campaigns;
        this.layout = layout;
    }

    String render(Pager pager) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<div class=\"page-head split\"><div><h1>Campaigns</h1><p class=\"lead\">Newest first.</p></div>"
                + "<a class=\"button primary\" href=\"/\">New campaign</a></div>\n<section class=\"card\">");
        if (pager.total() == 0) {
            html.append("<p class=\"empty\" id=\"campaigns\">No campaign yet. <a href=\"/\">Compose the first one.</a></p>");
        } else {
            html.append("<table class=\"table\" id=\"campaigns\"><thead><tr><th class=\"num\">#</th><th>Subject</th><th>Audience</th>"
                    + "<th>State</th><th class=\"num\">Sent</th><th class=\"num\">Failed</th><th class=\"num\">Total</th>"
                    + "<th>Progress</th><th>Created (UTC)</th></tr></thead><tbody>");
            for (Campaign stored : campaigns.store().list(pager.limit(), pager.offset())) {
                CampaignView view = campaigns.view(stored);
                Campaign c = view.campaign();
                String link = "/campaigns/" + c.id();
                html.append("<tr id=\"campaign-").append(c.id()).append("\"><td class=\"num\"><a href=\"").append(link).append("\">")
                        .append(c.id()).append("</a></td><td class=\"subject-cell\"><a href=\"").append(link).append("\">")
                        .append(Html.text(c.subject())).append("</a></td><td class=\"nowrap\">").append(Html.text(c.audience())).append("</td><td>")
                        .append(Html.state("", c.state().name()))
                        .append(view.stopRequested().map(s -> " <span class=\"muted\">" + Html.text(s) + " requested</span>").orElse(""))
                        .append("</td><td class=\"num\">").append(Html.count(view.sent())).append("</td><td class=\"num\">")
                        .append(Html.count(view.failed())).append("</td><td class=\"num\">").append(Html.count(c.total()))
                        .append("</td><td class=\"progress-cell").append(c.state() == CampaignState.COMPLETED ? " done" : "")
                        .append("\"><progress max=\"100\" value=\"").append(view.percentDone())
                        .append("\">").append(view.percentDone()).append("%</progress> <span class=\"percent-small\">")
                        .append(view.percentDone()).append("%</span></td><td class=\"nowrap\">").append(Html.cellTime(c.createdAt()))
                        .append("</td></tr>");
            }
            html.append("</tbody></table>").append(pager.nav("campaigns-pager", offset -> "/campaigns?offset=" + offset));
        }
        html.append("</section>");
        return layout.page(Layout.Section.CAMPAIGNS, "Campaigns", html.toString());
    }
}
