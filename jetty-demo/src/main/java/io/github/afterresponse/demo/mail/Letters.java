package io.github.afterresponse.demo.mail;

import io.github.afterresponse.demo.store.Recipient;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a campaign's subject and bodies into one recipient's message: {@code {name}}-style
 * placeholders filled in (HTML-escaped in the HTML body; CR and LF removed in the subject), plain
 * text alone or with an HTML alternative, and a Message-ID that is the same for the same
 * recipient of the same campaign every time, so that a receiver can drop a message sent twice.
 */
public final class Letters {

    /** The placeholders, and what each takes from the recipient. */
    public static final Map<String, Function<Recipient, String>> PLACEHOLDERS = Map.of(
            "name", Recipient::name,
            "firstName", r -> r.name().split(" ", 2)[0],
            "email", Recipient::email,
            "city", Recipient::city,
            "segment", Recipient::segment,
            "language", Recipient::language);

    /** A word in braces; with digits, '_' and '-' too, so that {first_name} is reported, not sent as it is. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_-]*)}");

    private final Session session;

    public Letters(Session session) {
        this.session = session;
    }

    /** The {@code {word}} placeholders in the text that are not known, in order of name. */
    public static Set<String> unknownPlaceholders(String text) {
        Set<String> unknown = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!PLACEHOLDERS.containsKey(matcher.group(1))) {
                unknown.add("{" + matcher.group(1) + "}");
            }
        }
        return unknown;
    }

    /** The text with the recipient's values in place; {@code escape} is applied to each value. */
    public static String fill(String template, Recipient recipient, Function<String, String> escape) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            Function<Recipient, String> value = PLACEHOLDERS.get(matcher.group(1));
            matcher.appendReplacement(filled, Matcher.quoteReplacement(
                    value == null ? matcher.group() : escape.apply(value.apply(recipient))));
        }
        matcher.appendTail(filled);
        return filled.toString();
    }

    /** The stable Message-ID of one recipient's copy of a campaign. */
    public static String messageId(long campaignId, long customerId, String sender) {
        String domain = "after-response.demo";
        try {
            String address = new InternetAddress(sender).getAddress();
            int at = address.lastIndexOf('@');
            if (at > 0 && at < address.length() - 1) {
                domain = address.substring(at + 1);
            }
        } catch (jakarta.mail.internet.AddressException e) {
            // keep the default domain
        }
        return "<campaign-" + campaignId + ".customer-" + customerId + "@" + domain + ">";
    }

    /** What one recipient gets. */
    public record Letter(String subject, String text, Optional<String> html) {
    }

    /** The recipient's subject and bodies. */
    public static Letter letter(String subject, String text, Optional<String> html, Recipient recipient) {
        return new Letter(
                fill(subject, recipient, v -> v.replaceAll("[\\r\\n]+", " ")),
                fill(text, recipient, Function.identity()),
                html.map(h -> fill(h, recipient, Letters::escapeHtml)));
    }

    /** The MIME message for one recipient. */
    public MimeMessage message(long campaignId, String sender, Optional<String> replyTo, Letter letter, Recipient recipient)
            throws MessagingException {
        String messageId = messageId(campaignId, recipient.customerId(), sender);
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress(sender));
        if (replyTo.isPresent()) {
            message.setReplyTo(InternetAddress.parse(replyTo.get()));
        }
        try {
            message.setRecipient(jakarta.mail.Message.RecipientType.TO,
                    new InternetAddress(recipient.email(), recipient.name(), "UTF-8"));
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        message.setSubject(letter.subject(), "UTF-8");
        message.setHeader("X-Campaign", Long.toString(campaignId));
        if (letter.html().isEmpty()) {
            message.setText(letter.text(), "UTF-8");
        } else {
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(letter.text(), "UTF-8");
            MimeBodyPart rich = new MimeBodyPart();
            rich.setText(letter.html().get(), "UTF-8", "html");
            message.setContent(new MimeMultipart("alternative", plain, rich));
        }
        message.saveChanges();
        return message;
    }

    /** Escapes the five characters HTML gives meaning to. */
    public static String escapeHtml(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The known placeholders, for forms and errors. */
    public static List<String> placeholderNames() {
        return PLACEHOLDERS.keySet().stream().sorted().map(n -> "{" + n + "}").toList();
    }
}
