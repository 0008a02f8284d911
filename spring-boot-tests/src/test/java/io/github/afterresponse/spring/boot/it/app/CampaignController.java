package io.github.afterresponse.spring.boot.it.app;

// tag::campaign-controller[]
import io.github.afterresponse.AfterResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Answers 202 at once and mails the recipients after the response has been sent. */
@RestController
public class CampaignController {

    private static final Logger log = LoggerFactory.getLogger(CampaignController.class);

    private final Mailer mailer;

    public CampaignController(Mailer mailer) {
        this.mailer = mailer;
    }

    @PostMapping("/campaigns")
    public ResponseEntity<String> send(@RequestParam String subject, @RequestParam List<String> to,
            HttpServletRequest request) {
        AfterResponse.of(request)
                .then(task -> {                       // runs after the client has its answer
                    for (String recipient : to) {
                        mailer.send(recipient, subject);
                    }
                })
                .onComplete(done -> log.info("{} ended {} with status {}", // exactly once, whatever happened
                        done.exchangeId(), done.outcome(), done.status().value()));
        return ResponseEntity.accepted().body("Queued " + to.size() + " mails: " + subject + "\n");
    }
}
// end::campaign-controller[]
