package io.github.afterresponse.demo.mail;

import io.github.afterresponse.demo.DemoOptions;
import jakarta.mail.MessagingException;
import jakarta.mail.NoSuchProviderException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * A few SMTP connections (Jakarta Mail transports), each reused for many messages and shared by
 * all campaigns. A connection that failed is closed and replaced by a new one on the next send; one
 * idle for more than five seconds is checked (NOOP) before it is used. A failed message is not
 * sent again here (see {@link #send}).
 */
public final class SmtpPool implements AutoCloseable {

    /** How one message went. */
    public sealed interface Result {
        /** The server accepted the message (250 after DATA). */
        record Accepted() implements Result {
        }

        /**
         * The server or the connection refused it.
         *
         * @param retryable false when the server refused the address itself (5xx at RCPT), true
         *                  when trying again later may work (4xx, a broken connection, a timeout)
         */
        record Refused(String reason, boolean retryable) implements Result {
        }

        /** Not sent: the campaign was told to stop while it waited for a connection. */
        record NotSent() implements Result {
        }
    }

    private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        // jakarta.mail-api 2.1 looks its StreamProvider up for every body part, multipart and
        // encoded header (FactoryFinder): a ServiceLoader scan of the class path each time, 60 to
        // 70 % of the CPU that building and sending a message took (measured,
        // docs/mailer-benchmark.md). Named here, the look-up is a Class.forName instead. A value
        // set on the command line wins.
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    /** An idle connection older than this is checked with a NOOP before it is used. */
    private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** A connection waiting for its next message, since when. */
    private record Pooled(Transport transport, long idleSince) {
    }

    private final Session session;
    private final String user;
    private final String password;
    private final boolean reuse;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Pooled> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong opened = new AtomicLong();
    private final String description;
    /** After close(), a connection coming back is closed instead of kept. */
    private volatile boolean closed;

    /**
     * @param connections how many connections at most
     * @param reuse false to open one connection per message (only to measure what reuse saves)
     */
    public SmtpPool(String host, int port, DemoOptions.SmtpSecurity security, String user, String password,
                    int connections, boolean reuse) {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "30000");
        // Without a write timeout, a server that stops reading in the middle of DATA holds the
        // sending thread, and its connection, for ever.
        properties.put("mail.smtp.writetimeout", "30000");
        // Without it Jakarta Mail looks up this machine's canonical name for EHLO on every
        // connection, which took 45 ms here.
        properties.put("mail.smtp.localhost", "localhost");
        switch (security) {
            case STARTTLS -> {
                properties.put("mail.smtp.starttls.enable", "true");
                properties.put("mail.smtp.starttls.required", "true");
                properties.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case TLS -> {
                properties.put("mail.smtp.ssl.enable", "true");
                properties.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case NONE -> {
            }
        }
        if (!user.isEmpty()) {
            properties.put("mail.smtp.auth", "true");
        }
        this.session = Session.getInstance(properties);
        this.user = user;
        this.password = password;
        this.reuse = reuse;
        this.permits = new Semaphore(connections, true);
        this.description = host + ":" + port + (security == DemoOptions.SmtpSecurity.NONE ? "" : " (" + security.name().toLowerCase(java.util.Locale.ROOT) + ")")
                + (user.isEmpty() ? "" : " as " + user) + ", " + connections + (connections == 1 ? " connection" : " connections");
    }

    public static SmtpPool of(DemoOptions options, int port) {
        return of(options, port, true);
    }

    /** @param reuse false to open one connection per message (only to measure what reuse saves) */
    public static SmtpPool of(DemoOptions options, int port, boolean reuse) {
        return new SmtpPool(options.smtpHost(), port, options.smtpSecurity(), options.smtpUser(), options.smtpPassword(),
                options.smtpConnections(), reuse);
    }

    /** The session messages are made in. */
    public Session session() {
        return session;
    }

    /** Host, port, security and size, for the start-up line. */
    public String description() {
        return description;
    }

    /** Connections opened since start. */
    public long opened() {
        return opened.get();
    }

    /**
     * Sends one message on a pooled connection, waiting for one to be free.
     *
     * @throws InterruptedException if interrupted while waiting for a connection
     */
    public Result send(MimeMessage message, BooleanSupplier stop) throws InterruptedException {
        // Waits for a connection in steps, so that a campaign told to stop meanwhile does not send
        // one more message after it got one: the recipient stays PENDING (NotSent).
        while (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            if (stop.getAsBoolean()) {
                return new Result.NotSent();
            }
        }
        Transport transport = null;
        try {
            if (stop.getAsBoolean()) {
                return new Result.NotSent();
            }
            try {
                transport = usable(idle.pollFirst());
                // Never sent again after a failure here: the server may have taken the whole
                // message and only its reply been lost, and a second try would deliver it twice.
                // A connection is checked before it is used instead (usable), and the failure is
                // recorded; a resume tries a retryable one once more.
                Outcome outcome = sendOn(transport, message);
                if (outcome.keepConnection() && reuse && !closed) {
                    idle.offerFirst(new Pooled(transport, System.nanoTime()));
                } else {
                    close(transport);
                }
                transport = null;
                return outcome.result();
            } catch (MessagingException e) {
                return new Result.Refused("cannot connect to the SMTP server: " + describe(e), true);
            }
        } catch (RuntimeException e) {
            return new Result.Refused("the mail library failed: " + e, true);
        } finally {
            if (transport != null) {
                close(transport); // swallows what closing throws: the permit below is always released
            }
            permits.release();
        }
    }

    /** A pooled connection that has been idle long is checked first (a NOOP): servers close idle ones. */
    private Transport usable(Pooled pooled) throws MessagingException {
        if (pooled != null) {
            if (System.nanoTime() - pooled.idleSince() < CHECK_AFTER_IDLE_NANOS || pooled.transport().isConnected()) {
                return pooled.transport();
            }
            close(pooled.transport());
        }
        return connect();
    }

    private Transport connect() throws MessagingException {
        Transport transport;
        try {
            transport = session.getTransport("smtp");
        } catch (NoSuchProviderException e) {
            throw new IllegalStateException("no SMTP provider: is angus-mail on the class path?", e);
        }
        if (user.isEmpty()) {
            transport.connect();
        } else {
            transport.connect(user, password);
        }
        opened.incrementAndGet();
        return transport;
    }

    /** A result, and whether the connection is still good for the next message. */
    private record Outcome(Result result, boolean keepConnection) {
    }

    private static Outcome sendOn(Transport transport, MimeMessage message) {
        try {
            transport.sendMessage(message, message.getAllRecipients());
            return new Outcome(new Result.Accepted(), true);
        } catch (SendFailedException e) {
            // A reply refused the address (RCPT) or the message (MAIL, DATA): 5xx is permanent,
            // 4xx may pass later; the connection itself is fine unless the server is closing it (421).
            int code = e.getNextException() instanceof SMTPAddressFailedException address ? address.getReturnCode()
                    : e instanceof SMTPSendFailedException send ? send.getReturnCode() : -1;
            String reason = e.getNextException() instanceof SMTPAddressFailedException address
                    ? address.getMessage().trim() : describe(e);
            return new Outcome(new Result.Refused(reason, code < 500), code >= 400 && code != 421);
        } catch (MessagingException e) {
            return new Outcome(new Result.Refused(describe(e), true), false);
        }
    }

    private static String describe(Exception e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()).trim());
        Throwable cause = e instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : e.getCause();
        if (cause != null && cause.getMessage() != null && !text.toString().contains(cause.getMessage().trim())) {
            text.append(": ").append(cause.getMessage().trim());
        }
        return text.toString();
    }

    private static void close(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            // Already broken; nothing to keep. Never thrown on: a message the server accepted must
            // stay Accepted, or a resume would send it again.
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Pooled pooled; (pooled = idle.pollFirst()) != null; ) {
            close(pooled.transport());
        }
    }
}
