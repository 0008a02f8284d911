package io.github.afterresponse.demo.web;

import io.github.afterresponse.demo.DemoOptions;
import io.github.afterresponse.demo.campaign.CampaignService;
import io.github.afterresponse.demo.campaign.CampaignView;
import io.github.afterresponse.demo.mail.Outbox;
import io.github.afterresponse.demo.store.Campaign;
import io.github.afterresponse.demo.store.RecipientState;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pages, server-rendered, mapped at {@code /}: compose ({@code /}), the campaigns and each
 * campaign with its recipients ({@code /campaigns...}), the outbox ({@code /outbox...}), the style
 * sheet and script ({@code /static/...}), and a 404 page for the rest. This class only routes;
 * each page is its own class. It reaches the toolkit only through {@link CampaignService#send}
 * and {@link CampaignService#resume}.
 */
public final class Pages extends HttpServlet {

    private static final Pattern CAMPAIGN = Pattern.compile("/campaigns/(\\d{1,18})");
    private static final Pattern RECIPIENTS = Pattern.compile("/campaigns/(\\d{1,18})/recipients");
    private static final Pattern ACTION = Pattern.compile("/campaigns/(\\d{1,18})/(pause|resume|cancel)");
    private static final Pattern MAIL = Pattern.compile("/outbox/(\\d{1,9})");
    private static final Pattern STATIC = Pattern.compile("/static/([a-z]+\\.(?:css|js))");

    private final CampaignService campaigns;
    private final Optional<Outbox> outbox;
    private final Csrf csrf;
    private final StaticFiles files = new StaticFiles();
    private final Layout layout = new Layout(files);
    private final ComposePage compose;
    private final CampaignsPage list;
    private final CampaignPage campaign;
    private final RecipientsPage recipients;
    private final OutboxPages mails;
    private final FormPosts posts;

    public Pages(CampaignService campaigns, Optional<Outbox> outbox, Csrf csrf, DemoOptions options) {
        this.campaigns = campaigns;
        this.outbox = outbox;
        this.csrf = csrf;
        this.compose = new ComposePage(campaigns, options, layout);
        this.list = new CampaignsPage(campaigns, layout);
        this.campaign = new CampaignPage(campaigns.store(), layout);
        this.recipients = new RecipientsPage(campaigns.store(), layout);
        this.mails = new OutboxPages(options, layout);
        this.posts = new FormPosts(campaigns, csrf, layout, compose);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = path(request);
        Matcher m;
        try {
            if (path.equals("/")) {
                Layout.send(response, 200, compose.render(ComposeForm.defaults(), Optional.empty(), csrf.token(request, response)));
            } else if ((m = STATIC.matcher(path)).matches()) {
                if (!files.serve(m.group(1), response)) {
                    notFound(response, path);
                }
            } else if (path.equals("/campaigns")) {
                Layout.send(response, 200, list.render(Pager.of(request, "offset", CampaignsPage.PER_PAGE, campaigns.store().count())));
            } else if ((m = CAMPAIGN.matcher(path)).matches()) {
                campaign(Long.parseLong(m.group(1)), request, response);
            } else if ((m = RECIPIENTS.matcher(path)).matches()) {
                recipients(Long.parseLong(m.group(1)), request, response);
            } else if (path.equals("/outbox")) {
                Layout.send(response, 200, outbox.isEmpty() ? mails.unavailable()
                        : mails.list(outbox.get(), Pager.of(request, "offset", OutboxPages.PER_PAGE, outbox.get().size())));
            } else if ((m = MAIL.matcher(path)).matches()) {
                mail(Integer.parseInt(m.group(1)), response);
            } else {
                notFound(response, path);
            }
        } catch (Pager.BadParameter e) {
            layout.message(response, 400, "Bad address", e.getMessage() + ".");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = path(request);
        Matcher m;
        if (path.equals("/campaigns")) {
            if (!posts.refused(request, response)) {
                posts.create(request, response);
            }
        } else if ((m = ACTION.matcher(path)).matches()) {
            if (!posts.refused(request, response)) {
                posts.act(Long.parseLong(m.group(1)), m.group(2), request, response);
            }
        } else {
            notFound(response, path);
        }
    }

    private void campaign(long id, HttpServletRequest request, HttpServletResponse response) throws IOException, Pager.BadParameter {
        Optional<CampaignView> view = campaigns.view(id);
        if (view.isEmpty()) {
            layout.message(response, 404, "No such campaign", "There is no campaign " + id + ".");
            return;
        }
        Pager failures = Pager.of(request, "failedOffset", CampaignPage.FAILURES_PER_PAGE,
                campaigns.store().countRecipients(id, Optional.of(RecipientState.FAILED)));
        Layout.send(response, 200, campaign.render(view.get(), failures, csrf.token(request, response)));
    }

    private void recipients(long id, HttpServletRequest request, HttpServletResponse response) throws IOException, Pager.BadParameter {
        Optional<Campaign> found = campaigns.store().find(id);
        if (found.isEmpty()) {
            layout.message(response, 404, "No such campaign", "There is no campaign " + id + ".");
            return;
        }
        Optional<RecipientState> state = RecipientsPage.state(request.getParameter("state"));
        Pager pager = Pager.of(request, "offset", RecipientsPage.PER_PAGE, campaigns.store().countRecipients(id, state));
        Layout.send(response, 200, recipients.render(found.get(), state, pager));
    }

    private void mail(int number, HttpServletResponse response) throws IOException {
        if (outbox.isEmpty()) {
            layout.message(response, 404, "No outbox", "Mail goes to the configured SMTP server; the outbox is not available.",
                    "/outbox", "Outbox");
            return;
        }
        Optional<Outbox.Mail> mail = outbox.get().get(number);
        if (mail.isEmpty()) {
            layout.message(response, 404, "No such mail", "The outbox has no mail " + number + ".", "/outbox", "Outbox");
            return;
        }
        Layout.send(response, 200, mails.mail(mail.get()));
    }

    private void notFound(HttpServletResponse response, String path) throws IOException {
        layout.message(response, 404, "Page not found", "There is no page at " + path + ".", "/campaigns", "See the campaigns");
    }

    /** The path as the filter sees it: decoded, without {@code ;parameters}. */
    private static String path(HttpServletRequest request) {
        return request.getServletPath() + Optional.ofNullable(request.getPathInfo()).orElse("");
    }
}
