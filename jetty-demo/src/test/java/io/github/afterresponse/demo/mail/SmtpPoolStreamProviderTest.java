package io.github.afterresponse.demo.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.demo.DemoOptions;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.StreamProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.angus.mail.util.MailStreamProvider;
import org.junit.jupiter.api.Test;

/**
 * SmtpPool names Jakarta Mail's StreamProvider in a system property, so that it is not looked up
 * with a class-path scan for every body part; the name must be one Jakarta Mail loads, or every
 * message would fail.
 */
class SmtpPoolStreamProviderTest {

    @Test
    void theStreamProviderItNamesIsTheOneJakartaMailUsesAndMessagesStillEncode() throws Exception {
        SmtpPool pool = new SmtpPool("127.0.0.1", 25, DemoOptions.SmtpSecurity.NONE, "", "", 1, true); // connects to nothing

        assertThat(System.getProperty("jakarta.mail.util.StreamProvider")).isEqualTo(MailStreamProvider.class.getName());
        assertThat(StreamProvider.provider()).isInstanceOf(MailStreamProvider.class);

        MimeMessage message = new MimeMessage(pool.session());
        message.setFrom(new InternetAddress("news@example.com"));
        message.setSubject("Grüße", "UTF-8");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Hallo Jürgen", "UTF-8");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText("<p>Hallo J&uuml;rgen</p>", "UTF-8", "html");
        message.setContent(new MimeMultipart("alternative", plain, rich));
        message.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        message.writeTo(raw);

        assertThat(raw.toString(StandardCharsets.US_ASCII))
                .contains("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=")
                .contains("Hallo J=C3=BCrgen")
                .contains("<p>Hallo J&uuml;rgen</p>");
    }
}
