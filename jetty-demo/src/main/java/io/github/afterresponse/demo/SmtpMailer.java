package io.github.afterresponse.demo;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;
import java.util.function.IntConsumer;

/** Sends a campaign over one SMTP connection with Jakarta Mail. */
public final class SmtpMailer {

    private final Session session;

    public SmtpMailer(String host, int port) {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "10000");
        this.session = Session.getInstance(properties);
    }

    /**
     * Sends one message per recipient, reporting each one sent.
     *
     * @param sent told the number of messages sent so far, after each one
     */
    public void send(String from, List<String> recipients, String subject, String text, IntConsumer sent)
            throws MessagingException {
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            int count = 0;
            for (String recipient : recipients) {
                MimeMessage message = new MimeMessage(session);
                message.setFrom(new InternetAddress(from));
                message.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
                message.setSubject(subject, "UTF-8");
                message.setText(text, "UTF-8");
                message.saveChanges();
                transport.sendMessage(message, message.getAllRecipients());
                sent.accept(++count);
            }
        }
    }
}
