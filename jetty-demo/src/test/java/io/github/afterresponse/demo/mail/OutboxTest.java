package io.github.afterresponse.demo.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The outbox numbers mail from 1, lists it newest first, and keeps only the newest {@link Outbox#KEPT}. */
class OutboxTest {

    private static final Session SESSION = Session.getInstance(new Properties());

    @Test
    void listsNewestFirstAndFindsByNumber() throws Exception {
        Outbox outbox = new Outbox();
        for (int i = 1; i <= 5; i++) {
            outbox.add(message(i));
        }
        assertThat(outbox.size()).isEqualTo(5);
        assertThat(outbox.newest(0, 2)).extracting(Outbox.Mail::subject).containsExactly("mail 5", "mail 4");
        assertThat(outbox.newest(3, 10)).extracting(Outbox.Mail::subject).containsExactly("mail 2", "mail 1");
        assertThat(outbox.get(1).orElseThrow().subject()).isEqualTo("mail 1");
        assertThat(outbox.get(4).orElseThrow().to()).isEqualTo("c4@example.com");
        assertThat(outbox.get(0)).isEmpty();
        assertThat(outbox.get(6)).isEmpty();
        assertThat(outbox.get(2).orElseThrow().raw()).contains("Subject: mail 2");
    }

    @Test
    void keepsTheNewestAndCountsEveryMail() throws Exception {
        Outbox outbox = new Outbox();
        MimeMessage one = message(0);
        int total = Outbox.KEPT + 3;
        for (int i = 1; i <= total; i++) {
            outbox.add(i == 4 || i == total - 1 || i == Outbox.KEPT ? message(i) : one);
        }
        assertThat(outbox.size()).isEqualTo(total);
        assertThat(outbox.all()).hasSize(Outbox.KEPT);
        assertThat(outbox.get(3)).as("dropped").isEmpty();
        assertThat(outbox.get(4).orElseThrow().subject()).as("the oldest kept").isEqualTo("mail 4");
        assertThat(outbox.get(total - 1).orElseThrow().subject()).isEqualTo("mail " + (total - 1));
        assertThat(outbox.get(Outbox.KEPT).orElseThrow().subject()).isEqualTo("mail " + Outbox.KEPT);
        assertThat(outbox.newest(0, 1).get(0).number()).isEqualTo(total);
    }

    private static MimeMessage message(int i) throws Exception {
        MimeMessage message = new MimeMessage(SESSION);
        message.setFrom(new InternetAddress("news@example.com"));
        message.setRecipients(jakarta.mail.Message.RecipientType.TO, "c" + i + "@example.com");
        message.setSubject("mail " + i);
        message.setText("hello " + i);
        message.saveChanges();
        return message;
    }
}
