package io.github.afterresponse.demo.mail;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every message the embedded SMTP server accepted since it started, numbered from 1 in the order
 * they arrived. In memory only, like the server itself.
 */
public final class Outbox {

    /** One received message. */
    public record Mail(int number, Instant receivedAt, String from, String to, String subject, MimeMessage message) {

        /** The message as it arrived, headers and body (RFC 5322). */
        public String raw() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                message.writeTo(bytes);
                return bytes.toString(StandardCharsets.UTF_8);
            } catch (IOException | MessagingException e) {
                return "(cannot be read: " + e.getMessage() + ")";
            }
        }
    }

    private final List<Mail> mails = new ArrayList<>();

    void add(MimeMessage message) {
        String from = addresses(() -> message.getFrom());
        String to = addresses(() -> message.getAllRecipients());
        String subject;
        try {
            subject = Optional.ofNullable(message.getSubject()).orElse("");
        } catch (MessagingException e) {
            subject = "";
        }
        synchronized (mails) {
            mails.add(new Mail(mails.size() + 1, Instant.now(), from, to, subject, message));
        }
    }

    public int size() {
        synchronized (mails) {
            return mails.size();
        }
    }

    /** Newest first: {@code limit} mails after skipping the {@code offset} newest. */
    public List<Mail> newest(int offset, int limit) {
        synchronized (mails) {
            List<Mail> page = new ArrayList<>(limit);
            for (int i = mails.size() - 1 - offset; i >= 0 && page.size() < limit; i--) {
                page.add(mails.get(i));
            }
            return page;
        }
    }

    /** The mail with this number, counted from 1. */
    public Optional<Mail> get(int number) {
        synchronized (mails) {
            return number >= 1 && number <= mails.size() ? Optional.of(mails.get(number - 1)) : Optional.empty();
        }
    }

    /** Every mail, oldest first. */
    public List<Mail> all() {
        synchronized (mails) {
            return List.copyOf(mails);
        }
    }

    private interface AddressSource {
        Address[] get() throws MessagingException;
    }

    private static String addresses(AddressSource source) {
        try {
            Address[] addresses = source.get();
            return addresses == null ? "" : Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
        } catch (MessagingException e) {
            return "";
        }
    }
}
