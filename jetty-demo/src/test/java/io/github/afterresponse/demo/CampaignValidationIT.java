package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.afterresponse.demo.MailerFixture.Client;
import io.github.afterresponse.demo.MailerFixture.Reply;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of invalid {@code POST /api/campaigns} is answered 400 with a JSON error naming the
 * field at fault (415 for a body that is not JSON), and stores and sends nothing. The mailer has 20
 * customers and a cap of 10 recipients per campaign, so that "everyone" is too many.
 */
class CampaignValidationIT {

    @TempDir
    static Path data;

    private static MailerFixture mailer;
    private static Client api;
    /** An address some customer has: the audience of the otherwise valid requests. */
    private static String email;
    /** A segment and a city that exist, but not together. */
    private static String emptySegment;
    private static String emptyCity;

    @BeforeAll
    static void start() throws Exception {
        mailer = MailerFixture.start(data, Map.of("customers", "20", "max-recipients", "10"));
        api = mailer.client();
        Reply preview = api.post("/api/preview", Map.of("subject", "s", "text", "t"));
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        email = preview.json().path("customer").path("email").asText();
        JsonNode audience = api.get("/api/audience").json();
        search:
        for (JsonNode segment : audience.path("segments")) {
            for (JsonNode city : audience.path("cities")) {
                Reply count = api.get("/api/audience/count?segment=" + segment.asText() + "&city=" + city.asText());
                if (count.json().path("count").asLong() == 0) {
                    emptySegment = segment.asText();
                    emptyCity = city.asText();
                    break search;
                }
            }
        }
        assertThat(emptySegment).as("a segment and city with no customer among 20").isNotNull();
    }

    @AfterAll
    static void stop() throws Exception {
        if (mailer != null) {
            mailer.close();
        }
    }

    /** Name, body ({@code $EMAIL}, {@code $SEGMENT} and {@code $CITY} filled in), the field the 400 must name. */
    static Stream<Arguments> invalid() {
        String ok = "\"subject\": \"Hi {name}\", \"text\": \"Hello\"";
        String to = ", \"emails\": [\"$EMAIL\"]";
        return Stream.of(
                Arguments.of("an address no customer has", "{" + ok + ", \"emails\": [\"nobody.0@nowhere.example\"]}", "emails[0]"),
                Arguments.of("the second address unknown", "{" + ok + ", \"emails\": [\"$EMAIL\", \"nobody.1@nowhere.example\"]}", "emails[1]"),
                Arguments.of("a segment and city without customers", "{" + ok + ", \"segment\": \"$SEGMENT\", \"city\": \"$CITY\"}", "recipients"),
                Arguments.of("more recipients than --max-recipients", "{" + ok + "}", "recipients"),
                Arguments.of("more addresses than --max-recipients", "{" + ok + ", \"emails\": [" + "\"$EMAIL\", ".repeat(10) + "\"$EMAIL\"]}", "emails"),
                Arguments.of("no subject", "{\"text\": \"Hello\"" + to + "}", "subject"),
                Arguments.of("an empty subject", "{\"subject\": \"\", \"text\": \"Hello\"" + to + "}", "subject"),
                Arguments.of("a blank subject", "{\"subject\": \" \\t \", \"text\": \"Hello\"" + to + "}", "subject"),
                Arguments.of("a subject too long", "{\"subject\": \"" + "x".repeat(201) + "\", \"text\": \"Hello\"" + to + "}", "subject"),
                Arguments.of("no text", "{\"subject\": \"Hi\"" + to + "}", "text"),
                Arguments.of("an empty text", "{\"subject\": \"Hi\", \"text\": \"\"" + to + "}", "text"),
                Arguments.of("CR LF in the subject", "{\"subject\": \"Hi\\r\\nBcc: victim@example.org\", \"text\": \"Hello\"" + to + "}", "subject"),
                Arguments.of("LF in the subject", "{\"subject\": \"Hi\\nthere\", \"text\": \"Hello\"" + to + "}", "subject"),
                Arguments.of("CR LF in an address", "{" + ok + ", \"emails\": [\"$EMAIL\", \"$EMAIL\\r\\nBcc: victim@example.org\"]}", "emails[1]"),
                Arguments.of("not an address", "{" + ok + ", \"emails\": [\"nobody\"]}", "emails[0]"),
                Arguments.of("an empty address", "{" + ok + ", \"emails\": [\"$EMAIL\", \"\"]}", "emails[1]"),
                Arguments.of("CR LF in replyTo", "{" + ok + to + ", \"replyTo\": \"reply@example.com\\r\\nBcc: victim@example.org\"}", "replyTo"),
                Arguments.of("replyTo not an address", "{" + ok + to + ", \"replyTo\": \"reply at example\"}", "replyTo"),
                Arguments.of("an unknown segment", "{" + ok + ", \"segment\": \"platinum\"}", "segment"),
                Arguments.of("an unknown city", "{" + ok + ", \"city\": \"Atlantis\"}", "city"),
                Arguments.of("an unknown placeholder in the subject", "{\"subject\": \"Hi {nmae}\", \"text\": \"Hello\"" + to + "}", "subject"),
                Arguments.of("an unknown placeholder in the text", "{\"subject\": \"Hi\", \"text\": \"Hello {Name}\"" + to + "}", "text"),
                Arguments.of("an unknown placeholder in the html", "{" + ok + ", \"html\": \"<p>{nickname}</p>\"" + to + "}", "html"),
                Arguments.of("malformed JSON", "{\"subject\": \"Hi\", \"text\": ", "(body)"),
                Arguments.of("not JSON at all", "subject=Hi&text=Hello", "(body)"),
                Arguments.of("an empty body", "", "(body)"),
                Arguments.of("JSON null", "null", "(body)"),
                Arguments.of("a JSON array", "[\"$EMAIL\"]", "(body)"),
                Arguments.of("an unknown field", "{" + ok + to + ", \"bcc\": \"victim@example.org\"}", "bcc"),
                Arguments.of("an object as subject", "{\"subject\": {\"en\": \"Hi\"}, \"text\": \"Hello\"" + to + "}", "subject"),
                Arguments.of("a number as subject", "{\"subject\": 42, \"text\": \"Hello\"" + to + "}", "subject"),
                Arguments.of("a boolean as text", "{\"subject\": \"Hi\", \"text\": true" + to + "}", "text"),
                Arguments.of("a string as emails", "{" + ok + ", \"emails\": \"$EMAIL\"}", "emails"),
                Arguments.of("a number among the emails", "{" + ok + ", \"emails\": [\"$EMAIL\", 7]}", "emails[1]"));
    }

    @ParameterizedTest(name = "{0} -> 400 naming {2}")
    @MethodSource("invalid")
    void invalidRequestIsRefusedNamingTheFieldAndQueuesNothing(String name, String body, String field) {
        String json = body.replace("$EMAIL", email).replace("$SEGMENT", emptySegment).replace("$CITY", emptyCity);
        long campaigns = api.campaignCount();
        int mails = mailer.outbox().size();

        Reply reply = api.postRaw("/api/campaigns", json, "application/json", Map.of());

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("status").asInt()).isEqualTo(400);
        assertThat(reply.json().path("field").asText()).as(reply.body()).isEqualTo(field);
        assertThat(reply.json().path("error").asText()).isNotBlank();
        assertNothingQueued(campaigns, mails);
    }

    /** A value of the wrong JSON type is not turned into a string: the error says what was expected and what came. */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("wrongTypes")
    void wrongJsonTypeIsRefusedSayingWhatWasExpected(String body, String error) {
        long campaigns = api.campaignCount();
        Reply reply = api.postRaw("/api/campaigns", body.replace("$EMAIL", email), "application/json", Map.of());
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().path("error").asText()).isEqualTo(error);
        assertNothingQueued(campaigns, mailer.outbox().size());
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("{\"subject\": 42, \"text\": \"Hello\", \"emails\": [\"$EMAIL\"]}", "subject must be a string, but was 42"),
                Arguments.of("{\"subject\": \"Hi\", \"text\": false, \"emails\": [\"$EMAIL\"]}", "text must be a string, but was false"),
                Arguments.of("{\"subject\": [\"Hi\"], \"text\": \"Hello\"}", "subject must be a string, but was an array"),
                Arguments.of("{\"subject\": \"Hi\", \"text\": \"Hello\", \"emails\": \"$EMAIL\"}",
                        "emails must be an array of strings, but was a string"),
                Arguments.of("{\"subject\": \"Hi\", \"text\": \"Hello\", \"emails\": [{\"to\": \"$EMAIL\"}]}",
                        "emails[0] must be a string, but was an object"),
                Arguments.of("[]", "the body must be a JSON object, but was an array"),
                Arguments.of("\"Hi\"", "the body must be a JSON object, but was a string"));
    }

    @ParameterizedTest(name = "Content-Type {0} -> 415")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "(none)"})
    void bodyThatIsNotJsonIsRefusedWith415(String type) {
        long campaigns = api.campaignCount();
        int mails = mailer.outbox().size();

        Reply reply = api.postRaw("/api/campaigns", "{\"subject\": \"Hi\", \"text\": \"Hello\", \"emails\": [\"" + email + "\"]}",
                type.equals("(none)") ? null : type, Map.of());

        assertThat(reply.status()).as(reply.body()).isEqualTo(415);
        assertThat(reply.json().path("status").asInt()).isEqualTo(415);
        assertThat(reply.json().path("error").asText()).contains("application/json");
        assertNothingQueued(campaigns, mails);
    }

    @Test
    void badIdempotencyKeyIsRefusedNamingIt() {
        long campaigns = api.campaignCount();
        Reply reply = api.post("/api/campaigns", Map.of("subject", "Hi", "text", "Hello", "emails", java.util.List.of(email)),
                Map.of("Idempotency-Key", "x".repeat(101)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().path("field").asText()).isEqualTo("idempotencyKey");
        assertNothingQueued(campaigns, mailer.outbox().size());
    }

    /** The control: the same mailer takes a valid request, so the refusals above are the inputs' doing. */
    @Test
    void validRequestIsTaken() {
        long campaigns = api.campaignCount();
        JsonNode created = api.create(Map.of("subject", "Hi {name}", "text", "Hello", "emails", java.util.List.of(email)));
        assertThat(created.path("total").asInt()).isEqualTo(1);
        assertThat(api.campaignCount()).isEqualTo(campaigns + 1);
        api.awaitState(created.path("id").asLong(), "COMPLETED", java.time.Duration.ofSeconds(10));
    }

    private static void assertNothingQueued(long campaignsBefore, int mailsBefore) {
        assertThat(api.campaignCount()).as("campaigns stored").isEqualTo(campaignsBefore);
        assertThat(mailer.mailer().campaigns().active()).as("campaigns queued or sending").isZero();
        assertThat(mailer.outbox().size()).as("mails sent").isEqualTo(mailsBefore);
    }
}
