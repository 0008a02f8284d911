package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The demo sends real mail over SMTP to the embedded GreenMail server after answering. */
class BulkMailerIT {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void queuesThenMailsEveryCustomer() throws Exception {
        try (BulkMailer mailer = BulkMailer.start(new DemoOptions(0, null, 0))) {
            URI base = URI.create("http://127.0.0.1:" + mailer.port() + "/");

            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<form method=\"post\" action=\"campaigns\">");

            HttpResponse<String> queued = HTTP.send(HttpRequest.newBuilder(base.resolve("campaigns"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("subject=Spring+sale&count=25"))
                    .timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(queued.statusCode()).isEqualTo(202);
            assertThat(queued.body()).isEqualTo("Queued campaign 1: 25 mails, \"Spring sale\".\n");
            assertThat(queued.headers().firstValue("Location")).hasValue("/campaigns/1");
            assertThat(queued.headers().firstValue("Content-Length")).hasValue(Integer.toString(queued.body().length()));

            assertThat(mailer.embeddedSmtp().waitForIncomingEmail(10_000, 25)).isTrue();
            MimeMessage[] received = mailer.embeddedSmtp().getReceivedMessages();
            assertThat(received).hasSize(25);
            assertThat(Arrays.stream(received).map(BulkMailerIT::recipient))
                    .contains("customer1@example.com", "customer25@example.com");
            assertThat(received[0].getSubject()).isEqualTo("Spring sale");

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> mailer.campaigns().find(1).orElseThrow().completion().isPresent());
            HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(base.resolve("campaigns/1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.body()).isEqualTo("campaign 1: 25 of 25 mails sent, COMPLETED (status 0)\n");
        }
    }

    @Test
    void refusesABadCampaignBeforeQueueingAnything() throws Exception {
        try (BulkMailer mailer = BulkMailer.start(new DemoOptions(0, null, 0))) {
            URI base = URI.create("http://127.0.0.1:" + mailer.port() + "/");
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(base.resolve("campaigns"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("subject=x&count=0"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(mailer.campaigns().find(1)).isEmpty();
            assertThat(mailer.embeddedSmtp().getReceivedMessages()).isEmpty();
        }
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
