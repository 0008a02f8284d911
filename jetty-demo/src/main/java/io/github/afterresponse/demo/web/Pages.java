package io.github.afterresponse.demo.web;

import io.github.afterresponse.demo.DemoOptions;
import io.github.afterresponse.demo.campaign.CampaignService;
import io.github.afterresponse.demo.mail.Outbox;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/** The pages (stub). */
public final class Pages extends HttpServlet {

    private final CampaignService campaigns;
    private final Optional<Outbox> outbox;
    private final Csrf csrf;
    private final DemoOptions options;

    public Pages(CampaignService campaigns, Optional<Outbox> outbox, Csrf csrf, DemoOptions options) {
        this.campaigns = campaigns;
        this.outbox = outbox;
        this.csrf = csrf;
        this.options = options;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        csrf.token(request, response);
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().print("<!doctype html><title>Bulk mailer</title><h1>Bulk mailer</h1>");
    }
}
