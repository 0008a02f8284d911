package io.github.afterresponse.demo.web;

import io.github.afterresponse.demo.campaign.CampaignRequest;
import io.github.afterresponse.demo.campaign.CampaignService;
import io.github.afterresponse.demo.campaign.CampaignView;
import io.github.afterresponse.demo.campaign.Conflict;
import io.github.afterresponse.demo.campaign.InvalidInput;
import io.github.afterresponse.demo.mail.Letters;
import io.github.afterresponse.demo.mail.Outbox;
import io.github.afterresponse.demo.store.Customer;
import io.github.afterresponse.demo.store.RecipientState;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON API under {@code /api}. Requests that start sending ({@code POST /api/campaigns} and
 * {@code POST /api/campaigns/{id}/resume}) pass through the toolkit's filter; every other one is
 * answered without taking an admission place (see {@link CampaignFilter}).
 */
public final class ApiServlet extends HttpServlet {

    private static final Pattern CAMPAIGN = Pattern.compile("/campaigns/(\\d{1,18})");
    private static final Pattern ACTION = Pattern.compile("/campaigns/(\\d{1,18})/(pause|resume|cancel)");
    private static final Pattern RECIPIENTS = Pattern.compile("/campaigns/(\\d{1,18})/recipients");
    private static final Pattern MAIL = Pattern.compile("/outbox/(\\d{1,9})");
    /** The most of an unneeded request body read so that its connection stays usable. */
    private static final long DISCARD_LIMIT = 1 << 20;

    private final CampaignService campaigns;
    private final Optional<Outbox> outbox;
    private final Csrf csrf;

    public ApiServlet(CampaignService campaigns, Optional<Outbox> outbox, Csrf csrf) {
        this.campaigns = campaigns;
        this.outbox = outbox;
        this.csrf = csrf;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        Matcher m;
        if (path.equals("/session")) {
            Json.write(response, 200, Map.of("csrfToken", csrf.token(request, response), "header", Csrf.HEADER));
        } else if (path.equals("/audience")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("customers", campaigns.customers().count());
            body.put("segments", campaigns.customers().segments());
            body.put("cities", campaigns.customers().cities());
            body.put("placeholders", Letters.placeholderNames());
            Json.write(response, 200, body);
        } else if (path.equals("/audience/count")) {
            try {
                long count = campaigns.count(new CampaignRequest(null, null, null, request.getParameter("segment"),
                        request.getParameter("city"), List.of(), null));
                Json.write(response, 200, Map.of("count", count));
            } catch (InvalidInput e) {
                Json.error(response, 400, e.getMessage(), Optional.of(e.field()));
            }
        } else if (path.equals("/campaigns")) {
            Page page = Page.of(request, 20, 100);
            if (page.error() != null) {
                Json.error(response, 400, page.error(), Optional.of(page.field()));
                return;
            }
            List<Object> list = campaigns.store().list(page.limit, page.offset).stream()
                    .map(c -> (Object) Json.campaign(campaigns.view(c))).toList();
            Json.write(response, 200, Map.of("campaigns", list, "total", campaigns.store().count(),
                    "limit", page.limit, "offset", page.offset));
        } else if ((m = CAMPAIGN.matcher(path)).matches()) {
            Optional<CampaignView> view = campaigns.view(Long.parseLong(m.group(1)));
            if (view.isEmpty()) {
                Json.error(response, 404, "no campaign " + m.group(1), Optional.empty());
            } else {
                Json.write(response, 200, Json.campaign(view.get()));
            }
        } else if ((m = RECIPIENTS.matcher(path)).matches()) {
            recipients(Long.parseLong(m.group(1)), request, response);
        } else if (path.equals("/outbox")) {
            if (noOutbox(response)) {
                return;
            }
            Page page = Page.of(request, 20, 200);
            if (page.error() != null) {
                Json.error(response, 400, page.error(), Optional.of(page.field()));
                return;
            }
            Json.write(response, 200, Map.of("total", outbox.get().size(), "limit", page.limit, "offset", page.offset,
                    "mails", outbox.get().newest(page.offset, page.limit).stream().map(mail -> Json.mail(mail, false)).toList()));
        } else if ((m = MAIL.matcher(path)).matches()) {
            if (noOutbox(response)) {
                return;
            }
            Optional<Outbox.Mail> mail = outbox.get().get(Integer.parseInt(m.group(1)));
            if (mail.isEmpty()) {
                Json.error(response, 404, "no mail " + m.group(1) + " in the outbox", Optional.empty());
            } else {
                Json.write(response, 200, Json.mail(mail.get(), true));
            }
        } else {
            Json.error(response, 404, "no such resource: GET /api" + path, Optional.empty());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        Optional<String> refusal = csrf.refusal(request, Optional.empty());
        boolean readsBody = path.equals("/campaigns") || path.equals("/preview");
        if (refusal.isPresent() || !readsBody) {
            discardBody(request);
        }
        if (refusal.isPresent()) {
            Json.error(response, 403, "refused as a possible cross-site request: " + refusal.get(), Optional.empty());
            return;
        }
        Matcher m;
        try {
            if (path.equals("/campaigns")) {
                create(request, response);
            } else if (path.equals("/preview")) {
                preview(request, response);
            } else if ((m = ACTION.matcher(path)).matches()) {
                long id = Long.parseLong(m.group(1));
                if (campaigns.store().find(id).isEmpty()) {
                    Json.error(response, 404, "no campaign " + id, Optional.empty());
                    return;
                }
                CampaignView view = switch (m.group(2)) {
                    case "pause" -> campaigns.pause(id);
                    case "resume" -> campaigns.resume(id, request);
                    default -> campaigns.cancel(id);
                };
                Json.write(response, 202, Json.campaign(view));
            } else {
                Json.error(response, 404, "no such resource: POST /api" + path, Optional.empty());
            }
        } catch (Conflict e) {
            Json.error(response, 409, e.getMessage(), Optional.empty());
        } catch (InvalidInput e) {
            Json.error(response, 400, e.getMessage(), Optional.of(e.field()));
        }
    }

    /** The JSON body as a campaign request, or empty after answering 415 to a body of another type. */
    private static Optional<CampaignRequest> campaignRequest(HttpServletRequest request, HttpServletResponse response)
            throws IOException, InvalidInput {
        if (!isJson(request)) {
            discardBody(request);
            Json.error(response, 415, "the body must be application/json, but was " + request.getContentType(), Optional.empty());
            return Optional.empty();
        }
        try {
            return Optional.of(Json.campaignRequest(request.getInputStream()));
        } finally {
            discardBody(request); // the rest of a malformed body
        }
    }

    private void create(HttpServletRequest request, HttpServletResponse response) throws IOException, InvalidInput, Conflict {
        Optional<CampaignRequest> parsed = campaignRequest(request, response);
        if (parsed.isEmpty()) {
            return;
        }
        CampaignRequest body = parsed.get();
        Optional<String> key = Optional.ofNullable(request.getHeader("Idempotency-Key"));
        CampaignService.Created created = campaigns.create(body, key);
        long id = created.campaign().id();
        if (created.replayed()) {
            response.setHeader("Idempotent-Replayed", "true");
        }
        // Whichever of two requests with one key comes first schedules it; a replay also schedules
        // a campaign whose first request failed after storing it.
        campaigns.sendIfIdle(id, request);
        response.setHeader("Location", "/api/campaigns/" + id);
        Json.write(response, 202, Json.campaign(campaigns.view(id).orElseThrow()));
    }

    private void preview(HttpServletRequest request, HttpServletResponse response) throws IOException, InvalidInput {
        Optional<CampaignRequest> parsed = campaignRequest(request, response);
        if (parsed.isEmpty()) {
            return;
        }
        CampaignRequest body = parsed.get();
        Optional<Map.Entry<Customer, Letters.Letter>> preview = campaigns.preview(body);
        if (preview.isEmpty()) {
            Json.error(response, 400, "no customer matches this audience", Optional.of("recipients"));
            return;
        }
        Customer customer = preview.get().getKey();
        Letters.Letter letter = preview.get().getValue();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("recipients", campaigns.count(body));
        json.put("customer", Map.of("id", customer.id(), "name", customer.name(), "email", customer.email(),
                "segment", customer.segment(), "city", customer.city(), "language", customer.language()));
        json.put("subject", letter.subject());
        json.put("text", letter.text());
        json.put("html", letter.html().orElse(null));
        Json.write(response, 200, json);
    }

    private void recipients(long id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (campaigns.store().find(id).isEmpty()) {
            Json.error(response, 404, "no campaign " + id, Optional.empty());
            return;
        }
        Optional<RecipientState> state;
        String status = request.getParameter("status");
        try {
            state = status == null || status.isEmpty() ? Optional.empty()
                    : Optional.of(RecipientState.valueOf(status.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            Json.error(response, 400, "status must be pending, sent or failed, but was '" + status + "'", Optional.of("status"));
            return;
        }
        Page page = Page.of(request, 50, 500);
        if (page.error != null) {
            Json.error(response, 400, page.error, Optional.of(page.field));
            return;
        }
        Json.write(response, 200, Map.of(
                "campaignId", id,
                "status", state.map(s -> s.name().toLowerCase(Locale.ROOT)).orElse("all"),
                "total", campaigns.store().countRecipients(id, state),
                "limit", page.limit, "offset", page.offset,
                "recipients", campaigns.store().recipients(id, state, page.limit, page.offset).stream().map(Json::recipient).toList()));
    }

    /**
     * Reads the rest of the request body, up to a limit, before an answer that does not need it.
     * Jetty closes a kept-alive connection whose request body had not all arrived and been read
     * when the answer went, without saying so in it: the client's next request on that connection
     * would fail. Past the limit the connection may end, as it then should.
     */
    private static void discardBody(HttpServletRequest request) throws IOException {
        byte[] buffer = new byte[8192];
        java.io.InputStream body = request.getInputStream();
        for (long read = 0; read < DISCARD_LIMIT; ) {
            int n = body.read(buffer);
            if (n < 0) {
                return;
            }
            read += n;
        }
    }

    private boolean noOutbox(HttpServletResponse response) throws IOException {
        if (outbox.isEmpty()) {
            Json.error(response, 404, "the outbox lists what the embedded SMTP server received; this server sends elsewhere",
                    Optional.empty());
            return true;
        }
        return false;
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /** {@code limit} and {@code offset} query parameters. */
    record Page(int limit, int offset, String field, String error) {
        static Page of(HttpServletRequest request, int defaultLimit, int maxLimit) {
            int limit = defaultLimit;
            int offset = 0;
            try {
                if (request.getParameter("limit") != null) {
                    limit = Integer.parseInt(request.getParameter("limit"));
                    if (limit < 1 || limit > maxLimit) {
                        return new Page(defaultLimit, 0, "limit", "limit must be from 1 to " + maxLimit + ", but was " + limit);
                    }
                }
            } catch (NumberFormatException e) {
                return new Page(defaultLimit, 0, "limit", "limit must be a whole number, but was '" + request.getParameter("limit") + "'");
            }
            try {
                if (request.getParameter("offset") != null) {
                    offset = Integer.parseInt(request.getParameter("offset"));
                    if (offset < 0) {
                        return new Page(defaultLimit, 0, "offset", "offset must be 0 or more, but was " + offset);
                    }
                }
            } catch (NumberFormatException e) {
                return new Page(defaultLimit, 0, "offset", "offset must be a whole number, but was '" + request.getParameter("offset") + "'");
            }
            return new Page(limit, offset, null, null);
        }
    }
}
