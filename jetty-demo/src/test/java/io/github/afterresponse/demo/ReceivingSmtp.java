package io.github.afterresponse.demo;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * An SMTP server the test owns: GreenMail in the test's JVM on 127.0.0.1, a free port. It accepts
 * every address and keeps what it received while the mailer under test is stopped and started
 * again, so that what a campaign delivered can be counted over all its runs.
 */
final class ReceivingSmtp implements AutoCloseable {

    /** One message as received: its recipient, Message-ID and campaign (the X-Campaign header). */
    record Received(String to, String messageId, long campaignId) {
    }

    private final GreenMail greenMail;

    private ReceivingSmtp(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    static ReceivingSmtp start() {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        UserManager users = greenMail.getManagers().getUserManager();
        // GreenMail creates a mailbox for each new address; two connections delivering to one new
        // address at once must not both try to.
        users.setMessageDeliveryHandler((message, address) -> {
            synchronized (users) {
                GreenMailUser user = users.getUserByEmail(address.getEmail());
                return user != null ? user : users.createUser(address.getEmail(), address.getEmail(), address.getEmail());
            }
        });
        greenMail.start();
        return new ReceivingSmtp(greenMail);
    }

    int port() {
        return greenMail.getSmtp().getPort();
    }

    /** How many messages it holds. */
    int count() {
        return greenMail.getReceivedMessages().length;
    }

    /** How many messages of one campaign it holds. */
    long count(long campaignId) {
        return received().stream().filter(r -> r.campaignId() == campaignId).count();
    }

    /** Everything it holds. */
    List<Received> received() {
        MimeMessage[] messages = greenMail.getReceivedMessages();
        List<Received> received = new ArrayList<>(messages.length);
        for (MimeMessage message : messages) {
            try {
                String to = ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
                String[] campaign = message.getHeader("X-Campaign");
                received.add(new Received(to, message.getMessageID(), campaign == null ? -1 : Long.parseLong(campaign[0])));
            } catch (MessagingException e) {
                throw new IllegalStateException("a received message cannot be read", e);
            }
        }
        return received;
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
