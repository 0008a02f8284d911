package io.github.afterresponse.demo;

import io.github.afterresponse.Completion;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The campaigns sent since start, with their progress; shared by the servlets. */
public final class Campaigns {

    /** One campaign: how many mails, how many sent, and how it ended. */
    public static final class Campaign {
        private final int id;
        private final int total;
        private final AtomicInteger sent = new AtomicInteger();
        private volatile Completion completion;

        Campaign(int id, int total) {
            this.id = id;
            this.total = total;
        }

        public int id() {
            return id;
        }

        public int total() {
            return total;
        }

        public int sent() {
            return sent.get();
        }

        void sent(int count) {
            sent.set(count);
        }

        void ended(Completion completion) {
            this.completion = completion;
        }

        public Optional<Completion> completion() {
            return Optional.ofNullable(completion);
        }

        /** A line for people: "campaign 3: 25 of 25 mails sent, COMPLETED (status 0)". */
        public String describe() {
            Completion done = completion;
            String state = done == null
                    ? "sending"
                    : done.outcome() + " (status " + done.status().value() + ")"
                            + done.failure().map(f -> ": " + f.getMessage()).orElse("");
            return "campaign " + id + ": " + sent() + " of " + total + " mails sent, " + state;
        }
    }

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Campaign> byId = new ConcurrentHashMap<>();

    Campaign create(int total) {
        Campaign campaign = new Campaign(ids.incrementAndGet(), total);
        byId.put(campaign.id(), campaign);
        return campaign;
    }

    public Optional<Campaign> find(int id) {
        return Optional.ofNullable(byId.get(id));
    }
}
