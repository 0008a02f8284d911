package io.github.afterresponse.spring.boot.it.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/** Sends "mails" into a list, each once the test released the entry {@code "mailer"}. */
@Component
public class Mailer {

    public static final List<String> SENT = new CopyOnWriteArrayList<>();

    public void send(String recipient, String subject) throws InterruptedException {
        Held.entry("mailer").entered.countDown();
        Held.entry("mailer").awaitRelease();
        SENT.add(recipient + ": " + subject);
    }
}
