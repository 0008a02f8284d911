package io.github.afterresponse.demo.mail;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The demo's own SMTP server: GreenMail on 127.0.0.1, which keeps what it receives in memory and
 * shows it in the {@link Outbox}. It refuses (550) the addresses that match a pattern, so that
 * failures can be seen without a real server. It keeps each message once, in the outbox, and
 * makes no GreenMail mailboxes.
 */
public final class EmbeddedSmtp implements AutoCloseable {

    private final GreenMail greenMail;
    private final Outbox outbox;

    private EmbeddedSmtp(GreenMail greenMail, Outbox outbox) {
        this.greenMail = greenMail;
        this.outbox = outbox;
    }

    /**
     * Starts the server.
     *
     * @param port the port on 127.0.0.1, 0 for a free one
     * @param refuse addresses answered with 550 at RCPT; an empty pattern refuses none
     */
    public static EmbeddedSmtp start(int port, Pattern refuse) {
        Outbox outbox = new Outbox();
        // GreenMail calls createServices from its constructor; the anonymous class's captured
        // values are assigned before that call, fields of a named subclass would not be.
        GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)) {
            @Override
            protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
                return super.createServices(config, new DemoManagers(managers, refuse, outbox));
            }
        };
        greenMail.start();
        return new EmbeddedSmtp(greenMail, outbox);
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    /** What the server received, newest first. */
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    /** GreenMail's managers, with an SMTP manager that refuses and records. */
    private static final class DemoManagers extends Managers {
        private final Managers managers;
        private final SmtpManager smtp;

        DemoManagers(Managers managers, Pattern refuse, Outbox outbox) {
            this.managers = managers;
            this.smtp = new RefusingRecordingSmtpManager(managers.getImapHostManager(), managers.getUserManager(), refuse, outbox);
        }

        @Override
        public SmtpManager getSmtpManager() {
            return smtp;
        }

        @Override
        public UserManager getUserManager() {
            return managers.getUserManager();
        }

        @Override
        public ImapHostManager getImapHostManager() {
            return managers.getImapHostManager();
        }
    }

    private static final class RefusingRecordingSmtpManager extends SmtpManager {
        private final Pattern refuse;
        private final Outbox outbox;

        RefusingRecordingSmtpManager(ImapHostManager imap, UserManager users, Pattern refuse, Outbox outbox) {
            super(imap, users);
            this.refuse = refuse;
            this.outbox = outbox;
        }

        @Override
        public String checkRecipient(SmtpState state, MailAddress recipient) {
            if (!refuse.pattern().isEmpty() && refuse.matcher(recipient.getEmail()).matches()) {
                return "550 5.1.1 <" + recipient.getEmail() + ">: mailbox unavailable (the embedded server refuses"
                        + " addresses that match --smtp-reject)";
            }
            return null;
        }

        /**
         * Records the message in the outbox only. GreenMail's own delivery (super.send) is left
         * out: it would keep a second copy in a mailbox per address, which nothing reads (this
         * server offers no IMAP or POP3), and it finds a new address's mailbox by a linear search
         * of all mailboxes — with 10,000 recipients, more CPU than the whole mailer spent (measured,
         * docs/mailer-benchmark.md).
         * Called on the connection's thread; the outbox is thread-safe.
         */
        @Override
        public void send(SmtpState state) {
            outbox.add(state.getMessage().getMessage());
        }
    }
}
