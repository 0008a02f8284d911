package io.github.afterresponse.demo.campaign;

import io.github.afterresponse.demo.store.Campaign;
import java.time.Duration;
import java.util.Optional;

/**
 * A campaign as people see it: what is stored, with the live counts, rate and time left while it
 * has an exchange in this process.
 *
 * @param active whether it is queued or sending in this process now
 * @param stopRequested "pause" or "cancel" when asked and not yet acted on
 * @param resumable whether Resume applies now
 */
public record CampaignView(Campaign campaign, int sent, int failed, double rate, Optional<Duration> eta,
                           boolean active, Optional<String> stopRequested, boolean resumable) {

    public int pending() {
        return Math.max(0, campaign.total() - sent - failed);
    }

    /** Sent and failed, as a share of all, 0 to 100. */
    public int percentDone() {
        return campaign.total() == 0 ? 100 : (int) Math.floor(100.0 * (sent + failed) / campaign.total());
    }
}
