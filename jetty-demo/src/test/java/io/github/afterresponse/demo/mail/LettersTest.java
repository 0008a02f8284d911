package io.github.afterresponse.demo.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.demo.store.Recipient;
import io.github.afterresponse.demo.store.RecipientState;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LettersTest {

    private static final String SENDER = "News <news@example.com>";
    private final Letters letters = new Letters(Session.getInstance(new Properties()));

    private static Recipient recipient(long customerId, String name, String email) {
        return new Recipient(7, customerId, email, name, "vip", "Zurich", "de", RecipientState.PENDING, 0,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void everyPlaceholderIsFilled() {
        Letters.Letter letter = Letters.letter("{firstName}: news for {segment} in {city}",
                "Dear {name}, ({email}, {language}) {firstName}{firstName}", Optional.empty(),
                recipient(42, "Grace Hopper", "grace.hopper.42@example.com"));
        assertThat(letter.subject()).isEqualTo("Grace: news for vip in Zurich");
        assertThat(letter.text()).isEqualTo("Dear Grace Hopper, (grace.hopper.42@example.com, de) GraceGrace");
        assertThat(letter.html()).isEmpty();
        assertThat(Letters.placeholderNames()).containsExactly("{city}", "{email}", "{firstName}", "{language}", "{name}", "{segment}");
    }

    @Test
    void valuesAreEscapedInTheHtmlOnly() {
        Recipient tricky = recipient(1, "Tim O'Brien & <b>Sons</b> \"Ltd\"", "tim@example.com");
        Letters.Letter letter = Letters.letter("Hi {name}", "Hi {name}", Optional.of("<p>Hi {name}</p>"), tricky);
        assertThat(letter.html()).contains("<p>Hi Tim O&#39;Brien &amp; &lt;b&gt;Sons&lt;/b&gt; &quot;Ltd&quot;</p>");
        assertThat(letter.text()).isEqualTo("Hi Tim O'Brien & <b>Sons</b> \"Ltd\"");
        assertThat(letter.subject()).isEqualTo("Hi Tim O'Brien & <b>Sons</b> \"Ltd\"");
    }

    @Test
    void lineBreaksInValuesAreRemovedFromTheSubject() {
        Recipient injected = recipient(1, "Eve\r\nBcc: all@example.org\n\r\nX", "eve@example.com");
        Letters.Letter letter = Letters.letter("Hi {name}!", "Hi {name}!", Optional.empty(), injected);
        assertThat(letter.subject()).isEqualTo("Hi Eve Bcc: all@example.org X!").doesNotContain("\r", "\n");
        assertThat(letter.text()).isEqualTo("Hi Eve\r\nBcc: all@example.org\n\r\nX!");
    }

    @Test
    void valuesAreTakenLiterally() {
        Letters.Letter letter = Letters.letter("{name}", "{name}", Optional.empty(), recipient(1, "A$1 \\0 {email}", "a@example.com"));
        assertThat(letter.subject()).isEqualTo("A$1 \\0 {email}");
    }

    @Test
    void unknownPlaceholdersAreReportedAndLeftAlone() {
        assertThat(Letters.unknownPlaceholders("Hi {nmae}, {name} {Name} {name} {city} {nmae}")).containsExactly("{Name}", "{nmae}");
        assertThat(Letters.unknownPlaceholders("no placeholder, {} nor { name }")).isEmpty();
        assertThat(Letters.unknownPlaceholders("Hi {first_name} {last-name} {name2}"))
                .containsExactly("{first_name}", "{last-name}", "{name2}");
        assertThat(Letters.unknownPlaceholders("a{color:red} {1st}")).as("CSS and numbers are no placeholders").isEmpty();
        assertThat(Letters.letter("Hi {nmae}", "t", Optional.empty(), recipient(1, "Ada Lovelace", "ada@example.com")).subject())
                .isEqualTo("Hi {nmae}");
    }

    @Test
    void messageIdIsStableAndPerRecipient() throws Exception {
        assertThat(Letters.messageId(7, 42, SENDER)).isEqualTo("<campaign-7.customer-42@example.com>");
        assertThat(Letters.messageId(7, 42, SENDER)).isEqualTo(Letters.messageId(7, 42, "other@example.com"));
        assertThat(Letters.messageId(7, 43, SENDER)).isNotEqualTo(Letters.messageId(7, 42, SENDER));
        assertThat(Letters.messageId(8, 42, SENDER)).isNotEqualTo(Letters.messageId(7, 42, SENDER));
        assertThat(Letters.messageId(7, 42, "no address")).isEqualTo("<campaign-7.customer-42@after-response.demo>");

        Recipient ada = recipient(42, "Ada Lovelace", "ada@example.com");
        Letters.Letter letter = Letters.letter("Hi", "Hello", Optional.empty(), ada);
        MimeMessage first = letters.message(7, SENDER, Optional.empty(), letter, ada);
        MimeMessage again = letters.message(7, SENDER, Optional.empty(), letter, ada);
        assertThat(first.getMessageID()).isEqualTo("<campaign-7.customer-42@example.com>").isEqualTo(again.getMessageID());
        first.saveChanges();
        assertThat(first.getMessageID()).as("kept when the message is saved again").isEqualTo("<campaign-7.customer-42@example.com>");
        assertThat(sent(first).getMessageID()).as("as it goes out").isEqualTo("<campaign-7.customer-42@example.com>");
    }

    @Test
    void messageHasTheRecipientsAddressAndBothParts() throws Exception {
        Recipient zoe = recipient(5, "Zoë Müller", "zoe.muller.5@example.com");
        Letters.Letter letter = Letters.letter("Grüße, {firstName}", "Hallo {name}", Optional.of("<p>Hallo {name}</p>"), zoe);
        MimeMessage message = sent(letters.message(7, SENDER, Optional.of("Replies <reply@example.com>"), letter, zoe));

        InternetAddress to = (InternetAddress) message.getRecipients(Message.RecipientType.TO)[0];
        assertThat(to.getAddress()).isEqualTo("zoe.muller.5@example.com");
        assertThat(to.getPersonal()).isEqualTo("Zoë Müller");
        assertThat(message.getRecipients(Message.RecipientType.TO)).hasSize(1);
        assertThat(message.getRecipients(Message.RecipientType.CC)).isNull();
        assertThat(((InternetAddress) message.getFrom()[0]).getAddress()).isEqualTo("news@example.com");
        assertThat(((InternetAddress) message.getReplyTo()[0]).getAddress()).isEqualTo("reply@example.com");
        assertThat(message.getSubject()).isEqualTo("Grüße, Zoë");
        assertThat(message.getHeader("X-Campaign", null)).isEqualTo("7");
        Multipart parts = (Multipart) message.getContent();
        assertThat(message.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("Hallo Zoë Müller");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<p>Hallo Zoë Müller</p>");

        MimeMessage plain = sent(letters.message(7, SENDER, Optional.empty(), Letters.letter("s", "Hallo", Optional.empty(), zoe), zoe));
        assertThat(plain.getContentType()).startsWith("text/plain");
        assertThat(plain.getContent()).isEqualTo("Hallo");
        assertThat(plain.getReplyTo()[0].toString()).as("Reply-To defaults to From").contains("news@example.com");
    }

    /** The message as the server reads it: written out and parsed again. */
    private static MimeMessage sent(MimeMessage message) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        message.writeTo(bytes);
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes.toByteArray()));
    }
}
