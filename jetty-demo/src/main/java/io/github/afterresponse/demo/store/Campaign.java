package io.github.afterresponse.demo.store;

import java.time.Instant;
import java.util.Optional;

/** A campaign as stored; counts are those last written (the live ones are in the runner). */
public record Campaign(
        long id,
        String subject,
        String text,
        Optional<String> html,
        String sender,
        Optional<String> replyTo,
        String audience,
        CampaignState state,
        Optional<String> reason,
        int total,
        int sent,
        int failed,
        int runs,
        Optional<String> outcome,
        Optional<Integer> connectionStatus,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt) {

    /** Recipients neither sent nor failed. */
    public int pending() {
        return Math.max(0, total - sent - failed);
    }
}
