package io.github.afterresponse.demo.web;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a received message says, for people: its headers decoded and its first plain-text and
 * HTML parts.
 */
record MailParts(String from, String to, String subject, String messageId, String date, Optional<String> text,
                 Optional<String> html) {

    static MailParts of(MimeMessage message) {
        // One parse at a time per message: the outbox keeps the objects, two requests may read one.
        synchronized (message) {
            String[] found = new String[2];
            try {
                collect(message, found);
            } catch (MessagingException | IOException e) {
                found[0] = found[0] != null ? found[0] : "(the body cannot be read: " + e.getMessage() + ")";
            }
            return new MailParts(
                    addresses(() -> message.getFrom()),
                    addresses(() -> message.getRecipients(Message.RecipientType.TO)),
                    header(() -> message.getSubject()),
                    header(() -> message.getHeader("Message-ID", null)),
                    header(() -> message.getHeader("Date", null)),
                    Optional.ofNullable(found[0]), Optional.ofNullable(found[1]));
        }
    }

    /** Addresses as the outbox stores them, with encoded names ({@code =?UTF-8?Q?...?=}) decoded. */
    static String decoded(String addresses) {
        try {
            return MimeUtility.decodeText(addresses);
        } catch (java.io.UnsupportedEncodingException e) {
            return addresses;
        }
    }

    private static void collect(Part part, String[] found) throws MessagingException, IOException {
        if (part.isMimeType("text/plain") && found[0] == null) {
            found[0] = String.valueOf(part.getContent());
        } else if (part.isMimeType("text/html") && found[1] == null) {
            found[1] = String.valueOf(part.getContent());
        } else if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), found);
            }
        }
    }

    private interface Source<T> {
        T get() throws MessagingException;
    }

    private static String addresses(Source<Address[]> source) {
        try {
            Address[] addresses = source.get();
            return addresses == null ? "" : Arrays.stream(addresses)
                    .map(a -> a instanceof InternetAddress internet ? internet.toUnicodeString() : a.toString())
                    .collect(Collectors.joining(", "));
        } catch (MessagingException e) {
            return "";
        }
    }

    private static String header(Source<String> source) {
        try {
            return Optional.ofNullable(source.get()).orElse("");
        } catch (MessagingException e) {
            return "";
        }
    }
}
