package io.github.afterresponse.demo.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.afterresponse.demo.BulkMailer;
import io.github.afterresponse.demo.DemoOptions;
import io.github.afterresponse.demo.campaign.CampaignRequest;
import io.github.afterresponse.demo.campaign.CampaignView;
import io.github.afterresponse.demo.mail.Outbox;
import io.github.afterresponse.demo.store.Campaign;
import io.github.afterresponse.demo.store.CampaignState;
import io.github.afterresponse.demo.store.Recipient;
import io.github.afterresponse.demo.store.RecipientState;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages over real HTTP against the whole mailer (Jetty, the toolkit's filter, H2, the embedded
 * GreenMail): forms are refused without their token or from another origin, a valid form answers
 * 303 and its mails arrive, a form submitted twice makes one campaign, a wrong one comes back with
 * its error and values, every piece of user text is escaped, and Pause, Resume, Cancel work.
 */
class PagesIT {

    private static final Pattern LOCATION = Pattern.compile("/campaigns/(\\d+)");

    @TempDir
    static Path dataDir;

    private static BulkMailer mailer;
    private static List<String> segments;
    private static List<String> cities;

    private final FormClient client = new FormClient(mailer.port());

    @BeforeAll
    static void start() throws Exception {
        // 1,000 customers: a segment and a city select about 20, a segment about 200 (10 s at 20 a second).
        mailer = BulkMailer.start(DemoOptions.parse(Map.of("port", "0", "smtp-port", "0", "data-dir", dataDir.toString(),
                "customers", "1000", "rate", "20")));
        segments = mailer.campaigns().customers().segments();
        cities = mailer.campaigns().customers().cities();
    }

    @AfterAll
    static void stop() throws Exception {
        if (mailer != null) {
            mailer.close();
        }
    }

    @Test
    void composePageHasTokenKeyAudienceAndStrictHeaders() throws Exception {
        HttpResponse<String> page = client.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).isEqualToIgnoringCase("text/html;charset=UTF-8"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'", "script-src 'self'", "style-src 'self'").doesNotContain("unsafe"));
        assertThat(page.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith(Csrf.COOKIE + "="));
        assertThat(FormClient.hidden(page.body(), Csrf.FIELD)).hasSizeGreaterThan(20);
        String key = FormClient.hidden(page.body(), "idempotencyKey");
        assertThat(key).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(FormClient.hidden(client.get("/").body(), "idempotencyKey")).as("a new key per rendering").isNotEqualTo(key);
        assertThat(page.body()).contains("<option value=\"\">any segment</option>", "<option value=\"\">any city</option>");
        for (String segment : segments) {
            assertThat(page.body()).contains("<option value=\"" + segment + "\">" + segment + "</option>");
        }
        assertThat(page.body()).contains("<strong id=\"count\">1,000</strong>", "{firstName}", "Spring sale in {city}")
                .doesNotContain("<script>", "style=\"");
    }

    @Test
    void staticFilesHaveTheirTypesAndUnknownPathsA404Page() throws Exception {
        String page = client.get("/").body();
        Matcher css = Pattern.compile("href=\"(/static/mailer\\.css\\?v=[0-9a-f]+)\"").matcher(page);
        Matcher js = Pattern.compile("src=\"(/static/mailer\\.js\\?v=[0-9a-f]+)\"").matcher(page);
        assertThat(css.find()).isTrue();
        assertThat(js.find()).isTrue();

        HttpResponse<String> sheet = client.get(css.group(1));
        assertThat(sheet.statusCode()).isEqualTo(200);
        assertThat(sheet.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(sheet.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(sheet.body()).contains("progress");
        HttpResponse<String> script = client.get(js.group(1));
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(script.body()).contains("fetch(", "dataset");

        for (String path : List.of("/nowhere", "/static/other.js", "/campaigns/999999", "/outbox/999999", "/campaigns/1/nothing")) {
            HttpResponse<String> missing = client.get(path);
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(missing.body()).as(path).contains("<nav", "href=\"/outbox\"");
        }
        assertThat(client.get("/nowhere%3Cb%3E").body()).as("the path is escaped").contains("/nowhere&lt;b&gt;");
    }

    @Test
    void formWithoutTokenIsRefusedAndStoresNothing() throws Exception {
        long before = mailer.campaigns().store().count();
        Map<String, String> form = new java.util.LinkedHashMap<>(client.composeForm(Map.of("segment", segments.get(0))));
        form.remove(Csrf.FIELD);

        HttpResponse<String> refused = client.post("/campaigns", form);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(refused.body()).contains("cross-site", "no CSRF token");
        assertThat(mailer.campaigns().store().count()).isEqualTo(before);

        form.put(Csrf.FIELD, "forged");
        assertThat(client.post("/campaigns", form).statusCode()).isEqualTo(403);
        assertThat(mailer.campaigns().store().count()).isEqualTo(before);
    }

    @Test
    void formFromAnotherOriginIsRefused() throws Exception {
        long before = mailer.campaigns().store().count();
        Map<String, String> form = client.composeForm(Map.of("segment", segments.get(0)));

        HttpResponse<String> refused = client.post("/campaigns", form, "Origin", "http://evil.example");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Origin http://evil.example");
        assertThat(mailer.campaigns().store().count()).isEqualTo(before);
    }

    @Test
    void validFormAnswers303AndTheMailsArrive() throws Exception {
        Map<String, String> form = client.composeForm(Map.of("segment", segments.get(1), "city", cities.get(1),
                "subject", "Valid form for {firstName}", "html", "<p>Hello {name}</p>"));

        HttpResponse<String> answer = client.post("/campaigns", form, "Origin", client.base().toString().replaceAll("/$", ""));

        assertThat(answer.statusCode()).isEqualTo(303);
        long id = campaignId(answer);
        Campaign campaign = mailer.campaigns().store().find(id).orElseThrow();
        assertThat(campaign.total()).isEqualTo(mailer.campaigns().count(new CampaignRequest(null, null, null,
                segments.get(1), cities.get(1), List.of(), null))).isPositive();
        assertThat(campaign.text()).as("CR LF from the text area stored as LF").isEqualTo("Dear {name},\nsee you soon.");
        CampaignView done = awaitState(id, CampaignState.COMPLETED);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(mails(id)).hasSize(done.sent()));
        assertThat(done.sent() + done.failed()).isEqualTo(campaign.total());

        HttpResponse<String> page = client.get("/campaigns/" + id);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"state\">COMPLETED<", "id=\"sent\">" + done.sent() + "<",
                "id=\"failed\">" + done.failed() + "<", "id=\"pending\">0<", "id=\"percent\">100%<", "data-poll=\"false\"")
                .doesNotContain("id=\"pause\"", "id=\"resume\"", "id=\"cancel\"");
    }

    @Test
    void theSameFormTwiceMakesOneCampaign() throws Exception {
        long before = mailer.campaigns().store().count();
        Map<String, String> form = client.composeForm(Map.of("segment", segments.get(2), "city", cities.get(2),
                "subject", "Submitted twice"));

        HttpResponse<String> first = client.post("/campaigns", form);
        HttpResponse<String> second = client.post("/campaigns", form);

        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(second.statusCode()).isEqualTo(303);
        assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(mailer.campaigns().store().count()).isEqualTo(before + 1);
        long id = campaignId(first);
        awaitState(id, CampaignState.COMPLETED);
        assertThat(mailer.campaigns().store().find(id).orElseThrow().runs()).as("sent once, not once per post").isEqualTo(1);

        form.put("subject", "Submitted twice, then changed");
        HttpResponse<String> changed = client.post("/campaigns", form);
        assertThat(changed.statusCode()).isEqualTo(409);
        assertThat(changed.body()).contains("already used", "campaign (" + id + ")");
        assertThat(mailer.campaigns().store().count()).isEqualTo(before + 1);
    }

    @Test
    void invalidFormComesBackWithItsErrorAndEscapedValues() throws Exception {
        long before = mailer.campaigns().store().count();
        String text = "Dear {name}, <b>\"bold\" & 'quoted'</b>";
        Map<String, String> form = client.composeForm(Map.of("segment", segments.get(3), "subject", "  ", "text", text));

        HttpResponse<String> answer = client.post("/campaigns", form);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(answer.body()).contains("id=\"error\"", "data-field=\"subject\"", "subject must not be empty",
                "<div class=\"field invalid\"><label for=\"subject\">",
                "name=\"subject\" maxlength=\"200\" required value=\"  \" aria-invalid=\"true\"",
                "<option value=\"" + segments.get(3) + "\" selected>", FormClient.escaped(text))
                .doesNotContain("<b>\"bold\"");
        assertThat(FormClient.hidden(answer.body(), Csrf.FIELD)).isEqualTo(form.get(Csrf.FIELD));
        assertThat(mailer.campaigns().store().count()).isEqualTo(before);

        HttpResponse<String> unknownPlaceholder = client.post("/campaigns", client.composeForm(Map.of("text", "Hi {nickname}")));
        assertThat(unknownPlaceholder.statusCode()).isEqualTo(400);
        assertThat(unknownPlaceholder.body()).contains("data-field=\"text\"", "{nickname}");
        HttpResponse<String> unknownCity = client.post("/campaigns", client.composeForm(Map.of("city", "Atlantis<")));
        assertThat(unknownCity.statusCode()).isEqualTo(400);
        assertThat(unknownCity.body()).contains("data-field=\"city\"", "Atlantis&lt;").doesNotContain("Atlantis<");
        assertThat(mailer.campaigns().store().count()).isEqualTo(before);
    }

    @Test
    void userTextIsEscapedOnEveryPage() throws Exception {
        String subject = "<script>alert('x')</script> & \"{firstName}\"";
        Map<String, String> form = client.composeForm(Map.of("segment", segments.get(4), "city", cities.get(3),
                "subject", subject, "text", "Hello {name} </pre><script>alert(1)</script>",
                "html", "<p onclick=\"x()\">Hi {name}</p><script>alert(2)</script>"));
        long id = campaignId(client.post("/campaigns", form));
        awaitState(id, CampaignState.COMPLETED);
        String stored = FormClient.escaped(subject);

        String campaignPage = client.get("/campaigns/" + id).body();
        assertThat(campaignPage).contains("<h1 id=\"subject\">" + stored + "</h1>",
                FormClient.escaped("Hello {name} </pre><script>alert(1)</script>"));
        assertThat(client.get("/campaigns").body()).contains(">" + stored + "</a>");
        assertThat(client.get("/campaigns/" + id + "/recipients").body()).contains(stored);
        Outbox.Mail mail = mails(id).get(0);
        assertThat(client.get("/outbox").body()).contains(">" + FormClient.escaped(mail.subject()) + "</a>");
        String mailPage = client.get("/outbox/" + mail.number()).body();
        assertThat(mailPage).contains("<h1 id=\"mail-subject\">" + FormClient.escaped(mail.subject()) + "</h1>",
                "sandbox=\"\"", "srcdoc=\"" + FormClient.escaped("<p onclick=\"x()\">Hi "));
        for (String page : List.of(campaignPage, client.get("/campaigns").body(), client.get("/outbox").body(), mailPage)) {
            assertThat(page).doesNotContain("<script>alert", "<p onclick", "</pre><script>");
            assertThat(page.split("<script", -1)).as("only the page's own script tag").hasSize(2);
        }
    }

    @Test
    void pauseResumeAndCancelForms() throws Exception {
        // About 200 recipients at 20 a second: it is still sending when the pause arrives.
        long id = campaignId(client.post("/campaigns", client.composeForm(Map.of("segment", segments.get(0),
                "subject", "Pause me"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> view(id).active() && view(id).sent() > 0);
        String page = client.get("/campaigns/" + id).body();
        assertThat(page).contains("action=\"/campaigns/" + id + "/pause\"", "action=\"/campaigns/" + id + "/cancel\"",
                "data-poll=\"true\"", "data-api=\"/api/campaigns/" + id + "\"").doesNotContain("id=\"resume\"");
        String token = FormClient.hidden(page, Csrf.FIELD);

        assertThat(client.post("/campaigns/" + id + "/pause", Map.of()).statusCode()).as("no token").isEqualTo(403);
        assertThat(view(id).stopRequested()).isEmpty();
        HttpResponse<String> paused = client.post("/campaigns/" + id + "/pause", Map.of(Csrf.FIELD, token));
        assertThat(paused.statusCode()).isEqualTo(303);
        assertThat(paused.headers().firstValue("Location")).hasValue("/campaigns/" + id);
        CampaignView pausedView = awaitState(id, CampaignState.PAUSED);
        assertThat(pausedView.pending()).isPositive();
        assertThat(client.get("/campaigns/" + id).body()).contains("id=\"state\">PAUSED<", "paused by request",
                "id=\"resume\"", "id=\"cancel\"").doesNotContain("id=\"pause\"");

        HttpResponse<String> resumed = client.post("/campaigns/" + id + "/resume", Map.of(Csrf.FIELD, token));
        assertThat(resumed.statusCode()).isEqualTo(303);
        int sentWhenPaused = pausedView.sent();
        await().atMost(Duration.ofSeconds(20)).until(() -> view(id).campaign().state() == CampaignState.SENDING
                && view(id).sent() > sentWhenPaused);

        HttpResponse<String> cancelled = client.post("/campaigns/" + id + "/cancel", Map.of(Csrf.FIELD, token));
        assertThat(cancelled.statusCode()).isEqualTo(303);
        CampaignView cancelledView = awaitState(id, CampaignState.CANCELLED);
        assertThat(cancelledView.pending()).isPositive();
        assertThat(client.get("/campaigns/" + id).body()).contains("id=\"state\">CANCELLED<", "cancelled by request")
                .doesNotContain("id=\"pause\"", "id=\"resume\"", "id=\"cancel\"");

        HttpResponse<String> tooLate = client.post("/campaigns/" + id + "/pause", Map.of(Csrf.FIELD, token));
        assertThat(tooLate.statusCode()).isEqualTo(409);
        assertThat(tooLate.body()).contains("Cannot pause this campaign", "CANCELLED", "href=\"/campaigns/" + id + "\"");
        assertThat(client.post("/campaigns/999999/cancel", Map.of(Csrf.FIELD, token)).statusCode()).isEqualTo(404);
    }

    @Test
    void outboxListsNewestFirstAndAMailShowsItsPersonalisedBody() throws Exception {
        long id = campaignId(client.post("/campaigns", client.composeForm(Map.of("segment", segments.get(1), "city", cities.get(4),
                "subject", "Outbox for {name}", "text", "Dear {name} of {city}, welcome."))));
        awaitState(id, CampaignState.COMPLETED);

        String list = client.get("/outbox").body();
        Matcher rows = Pattern.compile("<tr id=\"mail-(\\d+)\">").matcher(list);
        List<Integer> numbers = new ArrayList<>();
        while (rows.find()) {
            numbers.add(Integer.parseInt(rows.group(1)));
        }
        assertThat(numbers).hasSizeBetween(2, OutboxPages.PER_PAGE).isSortedAccordingTo((a, b) -> b - a);
        assertThat(numbers.get(0)).isGreaterThanOrEqualTo(mails(id).get(mails(id).size() - 1).number());

        Recipient recipient = mailer.campaigns().store().recipients(id, Optional.of(RecipientState.SENT), 1, 0).get(0);
        Outbox.Mail mail = mails(id).stream().filter(m -> m.to().contains(recipient.email())).findFirst().orElseThrow();
        HttpResponse<String> page = client.get("/outbox/" + mail.number());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(
                "<pre class=\"mail-text\" id=\"mail-text\">" + FormClient.escaped("Dear " + recipient.name() + " of "
                        + recipient.city() + ", welcome.") + "</pre>",
                FormClient.escaped("Outbox for " + recipient.name()),
                FormClient.escaped("<campaign-" + id + ".customer-" + recipient.customerId() + "@example.com>"),
                FormClient.escaped(recipient.email()), "id=\"mail-raw\"", "href=\"/campaigns/" + id + "\"");
    }

    @Test
    void badPageParametersAre400AndTheRecipientsPageFilters() throws Exception {
        long id = campaignId(client.post("/campaigns", client.composeForm(Map.of("segment", segments.get(2), "city", cities.get(5),
                "subject", "Recipients"))));
        awaitState(id, CampaignState.COMPLETED);

        for (String[] bad : new String[][] {{"/campaigns?offset=-1", "offset must be a whole number from 0, but was '-1'"},
                {"/campaigns/" + id + "?failedOffset=x", "failedOffset must be a whole number from 0, but was 'x'"},
                {"/campaigns/" + id + "/recipients?state=lost", "state must be pending, sent or failed, but was 'lost'"},
                {"/outbox?offset=%3Cb%3E", "offset must be a whole number from 0, but was '<b>'"}}) {
            HttpResponse<String> answer = client.get(bad[0]);
            assertThat(answer.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(answer.body()).as(bad[0]).contains(FormClient.escaped(bad[1]));
        }

        Recipient sent = mailer.campaigns().store().recipients(id, Optional.of(RecipientState.SENT), 1, 0).get(0);
        String page = client.get("/campaigns/" + id + "/recipients?state=sent").body();
        assertThat(page).contains(FormClient.escaped(sent.messageId().orElseThrow()), FormClient.escaped(sent.name()),
                "aria-current=\"page\">Sent").doesNotContain("state-failed\"");
        assertThat(client.get("/campaigns/" + id + "/recipients").body()).contains("All <span class=\"muted\">"
                + mailer.campaigns().store().find(id).orElseThrow().total() + "</span>");
    }

    @Test
    void failuresArePagedAndTheAutoPauseReasonShown(@TempDir Path otherDir) throws Exception {
        // Every address refused: after 30 in a row the campaign pauses itself, with its reason.
        try (BulkMailer refusing = BulkMailer.start(DemoOptions.parse(Map.of("port", "0", "smtp-port", "0",
                "data-dir", otherDir.toString(), "customers", "80", "rate", "0", "smtp-reject", ".*", "max-errors", "30")))) {
            FormClient other = new FormClient(refusing.port());
            long id = campaignId(other.post("/campaigns", other.composeForm(Map.of("subject", "All refused"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                CampaignView view = refusing.campaigns().view(id).orElseThrow();
                return view.campaign().state() == CampaignState.PAUSED && !view.active();
            });
            CampaignView paused = refusing.campaigns().view(id).orElseThrow();
            assertThat(paused.failed()).isBetween(30, 79);

            String first = other.get("/campaigns/" + id).body();
            assertThat(first).containsPattern("<p class=\"reason\" id=\"reason\">paused after 3\\d failures in a row; the last: 550 ");
            assertThat(first).contains("id=\"state\">PAUSED<", "id=\"resume\"", "href=\"/campaigns/" + id + "?failedOffset=20#results\"", "1–20 of " + paused.failed());
            assertThat(first.split("<tr><td><div>", -1)).as("rows of the first page").hasSize(21);
            String second = other.get("/campaigns/" + id + "?failedOffset=20").body();
            assertThat(second.split("<tr><td><div>", -1)).as("rows of the second page").hasSize(Math.min(20, paused.failed() - 20) + 1);
            assertThat(second).contains("21–", "href=\"/campaigns/" + id + "?failedOffset=0#results\"");
            List<Recipient> failedOnSecond = refusing.campaigns().store().recipients(id, Optional.of(RecipientState.FAILED), 20, 20);
            assertThat(second).contains(FormClient.escaped(failedOnSecond.get(0).email()));
            assertThat(first).doesNotContain(FormClient.escaped(failedOnSecond.get(0).email()) + "</div>");
        }
    }

    @Test
    void withoutTheEmbeddedServerTheOutboxSaysWhereMailGoes(@TempDir Path otherDir) throws Exception {
        try (BulkMailer external = BulkMailer.start(DemoOptions.parse(Map.of("port", "0", "smtp-host", "127.0.0.1",
                "smtp-port", "2525", "data-dir", otherDir.toString(), "customers", "10")))) {
            FormClient other = new FormClient(external.port());
            HttpResponse<String> outbox = other.get("/outbox");
            assertThat(outbox.statusCode()).isEqualTo(200);
            assertThat(outbox.body()).contains("Mail goes to the configured SMTP server, <code>127.0.0.1:2525</code>;"
                    + " the outbox is not available");
            assertThat(other.get("/outbox/1").statusCode()).isEqualTo(404);
        }
    }

    private static long campaignId(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
        String location = answer.headers().firstValue("Location").orElseThrow();
        Matcher m = LOCATION.matcher(location);
        assertThat(m.matches()).as(location).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static CampaignView view(long id) {
        return mailer.campaigns().view(id).orElseThrow();
    }

    private static CampaignView awaitState(long id, CampaignState state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> view(id).campaign().state() == state && !view(id).active());
        return view(id);
    }

    /** The outbox's mails of one campaign, by their Message-ID. */
    private static List<Outbox.Mail> mails(long id) {
        return mailer.embeddedSmtp().orElseThrow().outbox().all().stream().filter(m -> {
            try {
                String[] ids = m.message().getHeader("Message-ID");
                return ids != null && ids[0].startsWith("<campaign-" + id + ".customer-");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
