package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Await.hold;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** The servlet of the documentation's usage example, on every container. */
class CampaignServletIT {

    @EveryContainer
    void answersAtOnceAndMailsAfterwards(Container container) throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch smtpMayAnswer = new CountDownLatch(1);
        CountDownLatch logged = new CountDownLatch(1);
        CampaignServlet.Mailer slowMailer = (recipient, subject) -> {
            hold(smtpMayAnswer);
            sent.add(recipient + ": " + subject);
        };
        try (Deployment app = Deployment.on(container)
                .servlet("/campaigns", () -> new CampaignServlet(slowMailer, line -> {
                    log.add(line);
                    logged.countDown();
                }), true)
                .start(); RawConnection connection = app.open()) {
            String form = "subject=Spring+sale&to=ann%40example.com&to=bob%40example.com";
            RawResponse response = connection.send("POST /campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
                    + "\r\n\r\n" + form).readResponse(TIMEOUT);

            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("Queued 2 mails: Spring sale\n");
            assertThat(sent).as("no mail went out before the client had its answer").isEmpty();
            smtpMayAnswer.countDown();
            await(logged, "the completion log line");
        }
        assertThat(sent).containsExactly("ann@example.com: Spring sale", "bob@example.com: Spring sale");
        assertThat(log).singleElement().asString().endsWith(" ended COMPLETED with status 0");
    }

    @EveryContainer
    void withoutRecipientsAnswers400AndRunsNothing(Container container) throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        try (Deployment app = Deployment.on(container)
                .servlet("/campaigns", () -> new CampaignServlet((recipient, subject) -> sent.add(recipient),
                        line -> { }), true)
                .start(); RawConnection connection = app.open()) {
            String form = "subject=Spring+sale";
            RawResponse response = connection.send("POST /campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
                    + "\r\n\r\n" + form).readResponse(TIMEOUT);
            assertThat(response.statusCode()).isEqualTo(400);
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
            assertThat(app.completions.get(0).outcome()).isEqualTo(io.github.afterresponse.Outcome.COMPLETED);
        }
        assertThat(sent).isEmpty();
    }
}
