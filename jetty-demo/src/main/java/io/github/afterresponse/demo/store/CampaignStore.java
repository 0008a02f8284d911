package io.github.afterresponse.demo.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Campaigns and their recipients. Every write is its own commit, so what a row says survives a
 * crash the moment the method returns.
 */
public final class CampaignStore {

    /** What a new campaign is made of. */
    public record Draft(String subject, String text, Optional<String> html, String sender,
                        Optional<String> replyTo, Audience audience, Optional<String> idempotencyKey,
                        String requestHash) {
    }

    private static final String CAMPAIGN_COLUMNS = "id, subject, body_text, body_html, sender, reply_to, audience,"
            + " state, reason, total, sent, failed, runs, outcome, connection_status, created_at, started_at, finished_at";
    private static final String RECIPIENT_COLUMNS = "campaign_id, customer_id, email, name, segment, city, language,"
            + " state, attempts, reason, message_id, finished_at";

    private final Jdbc jdbc;

    public CampaignStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Stores a QUEUED campaign and one PENDING recipient per customer the audience selects, in
     * one transaction.
     *
     * @throws StoreException {@linkplain StoreException#isDuplicateKey() duplicate key} if the
     *         idempotency key was used before
     */
    public Campaign create(Draft draft, Instant now) {
        long id = jdbc.transaction(connection -> {
            long campaignId;
            try (var insert = connection.prepareStatement("INSERT INTO campaign (idempotency_key, request_hash, subject,"
                    + " body_text, body_html, sender, reply_to, audience, state, total, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', 0, ?)", Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, draft.idempotencyKey().orElse(null));
                insert.setString(2, draft.requestHash());
                insert.setString(3, draft.subject());
                insert.setString(4, draft.text());
                insert.setString(5, draft.html().orElse(null));
                insert.setString(6, draft.sender());
                insert.setString(7, draft.replyTo().orElse(null));
                insert.setString(8, draft.audience().describe());
                insert.setTimestamp(9, java.sql.Timestamp.from(now));
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    campaignId = keys.getLong(1);
                }
            }
            CustomerStore.Where where = CustomerStore.Where.of(draft.audience());
            Object[] parameters = new Object[where.parameters().length + 1];
            parameters[0] = campaignId;
            System.arraycopy(where.parameters(), 0, parameters, 1, where.parameters().length);
            int total = Jdbc.update(connection, "INSERT INTO recipient (campaign_id, customer_id, email, name, segment,"
                    + " city, language, state) SELECT ?, c.id, c.email, c.name, c.segment, c.city, c.language, 'PENDING'"
                    + " FROM customer c" + where.sql(), parameters);
            Jdbc.update(connection, "UPDATE campaign SET total = ? WHERE id = ?", total, campaignId);
            return campaignId;
        });
        return find(id).orElseThrow();
    }

    public Optional<Campaign> find(long id) {
        return jdbc.one("SELECT " + CAMPAIGN_COLUMNS + " FROM campaign WHERE id = ?", CampaignStore::campaign, id);
    }

    /** The campaign an idempotency key created, with the hash of the request that created it. */
    public Optional<Map.Entry<Campaign, String>> findByIdempotencyKey(String key) {
        return jdbc.one("SELECT id, request_hash FROM campaign WHERE idempotency_key = ?",
                row -> Map.entry(row.getLong(1), row.getString(2)), key)
                .flatMap(found -> find(found.getKey()).map(c -> Map.entry(c, found.getValue())));
    }

    /** Newest first. */
    public List<Campaign> list(int limit, int offset) {
        return jdbc.list("SELECT " + CAMPAIGN_COLUMNS + " FROM campaign ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                CampaignStore::campaign, offset, limit);
    }

    public long count() {
        return jdbc.count("SELECT COUNT(*) FROM campaign");
    }

    /** Campaigns a start-up resumes: QUEUED, SENDING (the process died) and INTERRUPTED, oldest first. */
    public List<Campaign> unfinished() {
        return jdbc.list("SELECT " + CAMPAIGN_COLUMNS + " FROM campaign WHERE state IN ('QUEUED', 'SENDING', 'INTERRUPTED')"
                + " ORDER BY id", CampaignStore::campaign);
    }

    /** Recipients in customer order, optionally of one state. */
    public List<Recipient> recipients(long campaignId, Optional<RecipientState> state, int limit, int offset) {
        return state.isPresent()
                ? jdbc.list("SELECT " + RECIPIENT_COLUMNS + " FROM recipient WHERE campaign_id = ? AND state = ?"
                        + " ORDER BY customer_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", CampaignStore::recipient,
                        campaignId, state.get(), offset, limit)
                : jdbc.list("SELECT " + RECIPIENT_COLUMNS + " FROM recipient WHERE campaign_id = ?"
                        + " ORDER BY customer_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", CampaignStore::recipient,
                        campaignId, offset, limit);
    }

    public long countRecipients(long campaignId, Optional<RecipientState> state) {
        return state.isPresent()
                ? jdbc.count("SELECT COUNT(*) FROM recipient WHERE campaign_id = ? AND state = ?", campaignId, state.get())
                : jdbc.count("SELECT COUNT(*) FROM recipient WHERE campaign_id = ?", campaignId);
    }

    /** The next PENDING recipients after the given customer id, in customer order. */
    public List<Recipient> pending(long campaignId, long afterCustomerId, int limit) {
        return jdbc.list("SELECT " + RECIPIENT_COLUMNS + " FROM recipient WHERE campaign_id = ? AND state = 'PENDING'"
                + " AND customer_id > ? ORDER BY customer_id FETCH FIRST ? ROWS ONLY", CampaignStore::recipient,
                campaignId, afterCustomerId, limit);
    }

    /**
     * As {@link #pending}, read along the primary key and filtered here rather than by the state
     * index: for a second look when a pass by the index left recipients PENDING.
     */
    public List<Recipient> pendingByPrimaryKey(long campaignId, long afterCustomerId, int limit) {
        List<Recipient> found = new java.util.ArrayList<>(limit);
        long after = afterCustomerId;
        while (found.size() < limit) {
            List<Recipient> rows = jdbc.list("SELECT " + RECIPIENT_COLUMNS + " FROM recipient WHERE campaign_id = ?"
                    + " AND customer_id > ? ORDER BY customer_id FETCH FIRST ? ROWS ONLY", CampaignStore::recipient,
                    campaignId, after, 500);
            if (rows.isEmpty()) {
                break;
            }
            for (Recipient row : rows) {
                if (row.state() == RecipientState.PENDING && found.size() < limit) {
                    found.add(row);
                }
            }
            after = rows.get(rows.size() - 1).customerId();
        }
        return found;
    }

    /** Records that the SMTP server accepted the recipient's message. */
    public void markSent(long campaignId, long customerId, String messageId, Instant at) {
        jdbc.update("UPDATE recipient SET state = 'SENT', attempts = attempts + 1, reason = NULL, retryable = FALSE,"
                + " message_id = ?, finished_at = ? WHERE campaign_id = ? AND customer_id = ?",
                messageId, at, campaignId, customerId);
    }

    /**
     * Records that sending to the recipient failed.
     *
     * @param retryable whether a resume should try again (the server or the connection failed,
     *                  not the address)
     */
    public void markFailed(long campaignId, long customerId, String reason, boolean retryable, Instant at) {
        jdbc.update("UPDATE recipient SET state = 'FAILED', attempts = attempts + 1, reason = ?, retryable = ?,"
                + " finished_at = ? WHERE campaign_id = ? AND customer_id = ?",
                truncate(reason, 2000), retryable, at, campaignId, customerId);
    }

    /** Makes the failures that were not the address's fault PENDING again; returns how many. */
    public int retryRetryable(long campaignId) {
        return jdbc.update("UPDATE recipient SET state = 'PENDING', retryable = FALSE WHERE campaign_id = ?"
                + " AND state = 'FAILED' AND retryable", campaignId);
    }

    /** How many recipients are in each state, read from the recipients themselves. */
    public Map<RecipientState, Integer> counts(long campaignId) {
        Map<RecipientState, Integer> counts = new EnumMap<>(RecipientState.class);
        for (RecipientState state : RecipientState.values()) {
            counts.put(state, 0);
        }
        jdbc.list("SELECT state, COUNT(*) FROM recipient WHERE campaign_id = ? GROUP BY state",
                row -> counts.put(RecipientState.valueOf(row.getString(1)), row.getInt(2)), campaignId);
        return counts;
    }

    /** QUEUED → SENDING when its exchange starts; false if it is no longer QUEUED. */
    public boolean started(long campaignId, String exchangeId, Instant at) {
        return jdbc.update("UPDATE campaign SET state = 'SENDING', reason = NULL, runs = runs + 1, exchange_id = ?,"
                + " started_at = COALESCE(started_at, ?) WHERE id = ? AND state = 'QUEUED'", exchangeId, at, campaignId) == 1;
    }

    /** Moves the campaign to a state if it is in one of the expected ones; false if not. */
    public boolean transition(long campaignId, List<CampaignState> from, CampaignState to, Optional<String> reason) {
        String marks = String.join(",", java.util.Collections.nCopies(from.size(), "?"));
        Object[] parameters = new Object[from.size() + 3];
        parameters[0] = to;
        parameters[1] = reason.map(r -> truncate(r, 2000));
        parameters[2] = campaignId;
        for (int i = 0; i < from.size(); i++) {
            parameters[i + 3] = from.get(i);
        }
        return jdbc.update("UPDATE campaign SET state = ?, reason = ? WHERE id = ? AND state IN (" + marks + ")",
                parameters) == 1;
    }

    /**
     * Writes how a run ended: the state, the counts read from the recipients, the toolkit's
     * outcome and connection status.
     */
    public void finish(long campaignId, CampaignState state, Optional<String> reason, String outcome,
                       int connectionStatus, Instant at) {
        Map<RecipientState, Integer> counts = counts(campaignId);
        jdbc.update("UPDATE campaign SET state = ?, reason = ?, sent = ?, failed = ?, outcome = ?, connection_status = ?,"
                + " finished_at = ? WHERE id = ?", state, reason.map(r -> truncate(r, 2000)),
                counts.get(RecipientState.SENT), counts.get(RecipientState.FAILED), outcome, connectionStatus,
                state.isFinal() ? at : null, campaignId);
    }

    /** Brings the stored counts in line with the recipients (after a crash they lag behind). */
    public void recount(long campaignId) {
        Map<RecipientState, Integer> counts = counts(campaignId);
        jdbc.update("UPDATE campaign SET sent = ?, failed = ? WHERE id = ?",
                counts.get(RecipientState.SENT), counts.get(RecipientState.FAILED), campaignId);
    }

    private static Campaign campaign(ResultSet row) throws SQLException {
        int status = row.getInt("connection_status");
        Optional<Integer> connectionStatus = row.wasNull() ? Optional.empty() : Optional.of(status);
        return new Campaign(row.getLong("id"), row.getString("subject"), row.getString("body_text"),
                Jdbc.text(row, "body_html"), row.getString("sender"), Jdbc.text(row, "reply_to"),
                row.getString("audience"), CampaignState.valueOf(row.getString("state")), Jdbc.text(row, "reason"),
                row.getInt("total"), row.getInt("sent"), row.getInt("failed"), row.getInt("runs"),
                Jdbc.text(row, "outcome"), connectionStatus, Jdbc.instant(row, "created_at").orElseThrow(),
                Jdbc.instant(row, "started_at"), Jdbc.instant(row, "finished_at"));
    }

    private static Recipient recipient(ResultSet row) throws SQLException {
        return new Recipient(row.getLong("campaign_id"), row.getLong("customer_id"), row.getString("email"),
                row.getString("name"), row.getString("segment"), row.getString("city"), row.getString("language"),
                RecipientState.valueOf(row.getString("state")), row.getInt("attempts"), Jdbc.text(row, "reason"),
                Jdbc.text(row, "message_id"), Jdbc.instant(row, "finished_at"));
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
