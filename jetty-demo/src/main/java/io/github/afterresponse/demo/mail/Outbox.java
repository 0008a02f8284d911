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
 * The messages the embedded SMTP server accepted since it started, numbered from 1 in the order
 * they arrived. In memory only, like the server itself, and only the newest {@link #KEPT}: an
 * older one is dropped when a new one arrives, so that the server's memory stays bounded however
 * many campaigns it receives.
 */
public final class Outbox {

    /** How many of the newest messages are kept. */
    public static final int KEPT = 20_000;

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

    private final java.util.ArrayDeque<Mail> mails = new java.util.ArrayDeque<>();
    private int received;

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
            mails.addLast(new Mail(++received, Instant.now(), from, to, subject, message));
            if (mails.size() > KEPT) {
                mails.removeFirst();
            }
        }
    }

    /** How many messages arrived since start, including those no longer kept. */
    public int size() {
        synchronized (mails) {
            return received;
        }
    }

    /** Newest first: {@code limit} mails after skipping the {@code offset} newest. */
    public List<Mail> newest(int offset, int limit) {
        synchronized (mails) {
            List<Mail> page = new ArrayList<>(limit);
            java.util.Iterator<Mail> newestFirst = mails.descendingIterator();
            for (int skipped = 0; skipped < offset && newestFirst.hasNext(); skipped++) {
                newestFirst.next();
            }
            while (newestFirst.hasNext() && page.size() < limit) {
                page.add(newestFirst.next());
            }
            return page;
        }
    }

    /** The mail with this number, counted from 1, if it is still kept. */
    public Optional<Mail> get(int number) {
        synchronized (mails) {
            Mail first = mails.peekFirst();
            if (first == null || number < first.number() || number > received) {
                return Optional.empty();
            }
            int index = number - first.number();
            java.util.Iterator<Mail> oldestFirst = mails.iterator();
            // the deque has no index: walk from the nearer end
            if (index > mails.size() / 2) {
                java.util.Iterator<Mail> newestFirst = mails.descendingIterator();
                for (int i = received; i > number; i--) {
                    newestFirst.next();
                }
                return Optional.of(newestFirst.next());
            }
            for (int i = 0; i < index; i++) {
                oldestFirst.next();
            }
            return Optional.of(oldestFirst.next());
        }
    }

    /** Every mail kept, oldest first. */
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
