package io.github.afterresponse.demo.campaign;

import io.github.afterresponse.demo.store.Campaign;
import io.github.afterresponse.demo.store.CampaignState;
import io.github.afterresponse.demo.store.CampaignStore;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * At start-up, resumes every campaign the last process left unfinished. A campaign is resumed the
 * way a person resumes it, by {@code POST /api/campaigns/{id}/resume} to this server's own
 * loopback port, so that it runs in the toolkit's continuation like any other: admission (a 503
 * is retried after its Retry-After), time limit, shutdown grace and the completion callback.
 */
public final class Recovery {

    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

    private final CampaignStore store;
    private final int connections;

    /**
     * @param connections SMTP connections: after a crash, at most this many messages of a campaign
     *                    were accepted by the server and not yet stored as sent
     */
    public Recovery(CampaignStore store, int connections) {
        this.store = store;
        this.connections = connections;
    }

    /** Marks what a crash left SENDING as INTERRUPTED, recounts; returns the campaigns to resume. */
    public List<Campaign> prepare() {
        List<Campaign> unfinished = store.unfinished();
        for (Campaign campaign : unfinished) {
            store.recount(campaign.id());
            if (campaign.state() == CampaignState.SENDING) {
                store.transition(campaign.id(), List.of(CampaignState.SENDING), CampaignState.INTERRUPTED,
                        Optional.of("the process ended while sending (killed or crashed)"));
                LOG.log(System.Logger.Level.WARNING, "campaign " + campaign.id() + " was sending when the last process"
                        + " ended without stopping: up to " + connections + " of its messages (one per SMTP connection) may"
                        + " have been accepted by the server without being stored as sent, and are sent again with"
                        + " the same Message-ID");
            }
        }
        return store.unfinished();
    }

    /**
     * Resumes them one by one on a daemon thread, through the server at {@code base}.
     *
     * @param base this server's own loopback URL
     */
    public void resumeInBackground(URI base, List<Campaign> campaigns) {
        if (campaigns.isEmpty()) {
            return;
        }
        Thread thread = new Thread(() -> resumeAll(base, campaigns), "mailer-recovery");
        thread.setDaemon(true);
        thread.start();
    }

    private void resumeAll(URI base, List<Campaign> campaigns) {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        try {
            HttpResponse<String> session = http.send(HttpRequest.newBuilder(base.resolve("/api/session")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String token;
            try {
                token = session.statusCode() == 200
                        ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(session.body()).path("csrfToken").asText("") : "";
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                token = ""; // not the JSON it writes: reported below with the status
            }
            if (token.isEmpty()) {
                LOG.log(System.Logger.Level.ERROR, "cannot resume campaigns: /api/session answered " + session.statusCode());
                return;
            }
            for (Campaign campaign : campaigns) {
                resume(http, base, token, campaign);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot resume the unfinished campaigns (is the server stopping?): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void resume(HttpClient http, URI base, String token, Campaign campaign) throws IOException, InterruptedException {
        while (true) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/campaigns/" + campaign.id() + "/resume"))
                    .header("X-CSRF-Token", token)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 503) {
                long seconds = answer.headers().firstValueAsLong("Retry-After").orElse(5);
                Thread.sleep(Duration.ofSeconds(Math.max(1, seconds)).toMillis()); // as the 503 asks
                continue;
            }
            if (answer.statusCode() == 202) {
                LOG.log(System.Logger.Level.INFO, "campaign " + campaign.id() + ": resumed after the restart");
            } else {
                LOG.log(System.Logger.Level.WARNING, "campaign " + campaign.id() + ": not resumed after the restart: "
                        + answer.statusCode() + " " + answer.body());
            }
            return;
        }
    }
}
