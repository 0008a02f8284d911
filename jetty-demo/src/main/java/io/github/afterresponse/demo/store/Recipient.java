package io.github.afterresponse.demo.store;

import java.time.Instant;
import java.util.Optional;

/** One recipient of one campaign, with what was copied from the customer. */
public record Recipient(
        long campaignId,
        long customerId,
        String email,
        String name,
        String segment,
        String city,
        String language,
        RecipientState state,
        int attempts,
        Optional<String> reason,
        Optional<String> messageId,
        Optional<Instant> finishedAt) {
}
