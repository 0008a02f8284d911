package io.github.afterresponse.demo.web;

import io.github.afterresponse.demo.campaign.CampaignService;
import io.github.afterresponse.demo.campaign.Conflict;
import io.github.afterresponse.demo.campaign.InvalidInput;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The forms' posts: a new campaign, and Pause, Resume, Cancel. Each is checked against
 * cross-site forgery first and answered {@code 303 See Other} to the campaign's page (POST, then
 * redirect, then GET: reloading the page does not post again). {@code POST /campaigns} and
 * {@code .../resume} pass through the toolkit's filter: the 303 leaves when this returns, and
 * sending starts after it.
 */
final class FormPosts {

    private final CampaignService campaigns;
    private final Csrf csrf;
    private final Layout layout;
    private final ComposePage compose;

    FormPosts(CampaignService campaigns, Csrf csrf, Layout layout, ComposePage compose) {
        this.campaigns = campaigns;
        this.csrf = csrf;
        this.layout = layout;
        this.compose = compose;
    }

    /** Refuses a forged request with 403; true if it was refused. */
    boolean refused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> refusal = csrf.refusal(request, Optional.ofNullable(request.getParameter(Csrf.FIELD)));
        if (refusal.isPresent()) {
            layout.message(response, 403, "Refused as a possible cross-site request",
                    "Nothing was changed: " + refusal.get() + ". Load the page again and submit it from there.",
                    "/", "Back to the form");
        }
        return refusal.isPresent();
    }

    /** {@code POST /campaigns}: creates the campaign and sends it, or shows the form again with what is wrong. */
    void create(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ComposeForm form = ComposeForm.of(request);
        try {
            CampaignService.Created created = campaigns.create(form.toRequest(),
                    Optional.ofNullable(request.getParameter(ComposeForm.IDEMPOTENCY_KEY)));
            long id = created.campaign().id();
            // The same form submitted again (a double click, a retried post) lands on the campaign it made.
            campaigns.sendIfIdle(id, request); // the first of two submits schedules it
            seeOther(response, "/campaigns/" + id);
        } catch (InvalidInput e) {
            Layout.send(response, 400, compose.render(form, Optional.of(e), csrf.token(request, response)));
        } catch (Conflict e) {
            layout.message(response, 409, "This form was already used", e.getMessage()
                    + ". Each page of the form makes one campaign; compose a new one for new content.", "/", "Compose again");
        }
    }

    /** {@code POST /campaigns/{id}/pause|resume|cancel}. */
    void act(long id, String action, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (campaigns.store().find(id).isEmpty()) {
            layout.message(response, 404, "No such campaign", "There is no campaign " + id + ".");
            return;
        }
        try {
            switch (action) {
                case "pause" -> campaigns.pause(id);
                case "resume" -> campaigns.resume(id, request);
                case "cancel" -> campaigns.cancel(id);
                default -> throw new IllegalArgumentException("action must be pause, resume or cancel, but was " + action);
            }
            seeOther(response, "/campaigns/" + id);
        } catch (Conflict e) {
            layout.message(response, 409, "Cannot " + action + " this campaign", e.getMessage() + ".",
                    "/campaigns/" + id, "Back to campaign " + id);
        }
    }

    private static void seeOther(HttpServletResponse response, String location) {
        response.setStatus(303);
        response.setHeader("Location", location);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
    }
}
