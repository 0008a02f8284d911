package io.github.afterresponse.demo.campaign;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.TaskContext;
import io.github.afterresponse.demo.DemoOptions;
import io.github.afterresponse.demo.mail.Letters;
import io.github.afterresponse.demo.mail.SendLimiter;
import io.github.afterresponse.demo.mail.SmtpPool;
import io.github.afterresponse.demo.store.Audience;
import io.github.afterresponse.demo.store.Campaign;
import io.github.afterresponse.demo.store.CampaignState;
import io.github.afterresponse.demo.store.CampaignStore;
import io.github.afterresponse.demo.store.Customer;
import io.github.afterresponse.demo.store.CustomerStore;
import io.github.afterresponse.demo.store.Recipient;
import io.github.afterresponse.demo.store.RecipientState;
import io.github.afterresponse.demo.store.StoreException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * What the pages and the API do with campaigns: create one (validated, idempotent), send it
 * through the toolkit's continuation, pause, resume, cancel, and show it.
 */
public final class CampaignService {

    /** A campaign created, or found again by its idempotency key ({@code replayed}). */
    public record Created(Campaign campaign, boolean replayed) {
    }

    private static final System.Logger LOG = System.getLogger(CampaignService.class.getName());
    private static final int MAX_SUBJECT = 200;
    private static final int MAX_BODY = 100_000;
    private static final int MAX_EMAILS = 1_000;

    private final CampaignStore store;
    private final CustomerStore customers;
    private final SmtpPool smtp;
    private final Letters letters;
    private final SendLimiter limiter;
    private final ExecutorService senders;
    private final DemoOptions options;
    private final Clock clock;
    private final Map<Long, LiveCampaign> live = new ConcurrentHashMap<>();
    /**
     * Campaigns a run of this process took to SENDING and whose ending it has not stored: while
     * one has no run here any more (its completion callback failed), it is SENDING for good unless
     * resumed or cancelled. A SENDING row not in here belongs to a run elsewhere, and is left alone.
     */
    private final Set<Long> endingNotStored = ConcurrentHashMap.newKeySet();
    /** How each run ended, from the task to its completion callback. */

    public CampaignService(CampaignStore store, CustomerStore customers, SmtpPool smtp, SendLimiter limiter,
                           ExecutorService senders, DemoOptions options, Clock clock) {
        this.store = store;
        this.customers = customers;
        this.smtp = smtp;
        this.letters = new Letters(smtp.session());
        this.limiter = limiter;
        this.senders = senders;
        this.options = options;
        this.clock = clock;
    }

    public CampaignStore store() {
        return store;
    }

    public CustomerStore customers() {
        return customers;
    }

    /**
     * Validates and stores a new QUEUED campaign with its recipients. Nothing is stored if it
     * throws.
     *
     * @param idempotencyKey a key the client made up for this submission: the same key again
     *                       returns the campaign it created
     * @throws InvalidInput naming the field at fault
     * @throws Conflict if the key was used for a different request
     */
    public Created create(CampaignRequest request, Optional<String> idempotencyKey) throws InvalidInput, Conflict {
        if (idempotencyKey.isPresent()) {
            String key = idempotencyKey.get();
            if (key.length() > 100 || !key.matches("[\\x21-\\x7e]+")) {
                throw new InvalidInput("idempotencyKey", "idempotencyKey must be 1 to 100 visible ASCII characters, but was '"
                        + shorten(key) + "'");
            }
            Optional<Created> earlier = replay(key, request);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        CampaignStore.Draft draft = validate(request, idempotencyKey);
        try {
            return new Created(store.create(draft, clock.instant()), false);
        } catch (StoreException e) {
            if (e.isDuplicateKey() && idempotencyKey.isPresent()) {
                // the same key, submitted twice at once: the other request stored it first
                return replay(idempotencyKey.get(), request).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Optional<Created> replay(String key, CampaignRequest request) throws Conflict {
        Optional<Map.Entry<Campaign, String>> earlier = store.findByIdempotencyKey(key);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        if (!earlier.get().getValue().equals(hash(request))) {
            throw new Conflict("Idempotency-Key '" + shorten(key) + "' was used for another campaign ("
                    + earlier.get().getKey().id() + ") with different content");
        }
        return Optional.of(new Created(earlier.get().getKey(), true));
    }

    /**
     * Sends the campaign after the response, in the toolkit's continuation of this request. The
     * completion callback writes how the run ended.
     *
     * @throws Conflict if it already has an exchange in this process
     */
    public void send(long campaignId, HttpServletRequest request) throws Conflict {
        schedule(claim(campaignId), request);
    }

    /** Makes the campaign live in this process: from now on pause and cancel go through it. */
    private LiveCampaign claim(long campaignId) throws Conflict {
        LiveCampaign campaign = new LiveCampaign(campaignId);
        if (live.putIfAbsent(campaignId, campaign) != null) {
            throw new Conflict("campaign " + campaignId + " is already queued or sending");
        }
        return campaign;
    }

    private void schedule(LiveCampaign campaign, HttpServletRequest request) {
        long campaignId = campaign.id;
        try {
            AfterResponse.of(request)
                    .then(task -> run(campaign, task))
                    .onComplete(done -> ended(campaign, done));
        } catch (RuntimeException e) {
            live.remove(campaignId, campaign);
            throw e;
        }
    }

    /**
     * After a create: sends the campaign if it is QUEUED and has no exchange yet. Of two requests
     * with one idempotency key, the first to get here schedules it; a replay also schedules a
     * campaign whose first request failed between storing and scheduling it.
     */
    public void sendIfIdle(long campaignId, HttpServletRequest request) {
        if (live.get(campaignId) == null
                && store.find(campaignId).filter(c -> c.state() == CampaignState.QUEUED).isPresent()) {
            try {
                send(campaignId, request);
            } catch (Conflict e) {
                // scheduled by another request meanwhile: that is all that was wanted
            }
        }
    }

    /** Asks a queued or sending campaign to pause at the next recipient. */
    public CampaignView pause(long campaignId) throws Conflict {
        LiveCampaign running = running(campaignId);
        Campaign campaign = find(campaignId);
        if (running == null || running.stop().filter(s -> s == LiveCampaign.Stop.CANCEL).isPresent()) {
            throw new Conflict("campaign " + campaignId + " is " + campaign.state() + ": only a queued or sending campaign can be paused");
        }
        running.request(LiveCampaign.Stop.PAUSE, "paused by request");
        return view(campaignId).orElseThrow();
    }

    /**
     * Resumes a PAUSED, INTERRUPTED, FAILED or (after a restart) QUEUED campaign with the
     * recipients not yet sent; failures that were not the address's fault are tried again. A pause
     * asked for and not yet acted on is simply taken back. A campaign stored as SENDING that a run of
     * this process left so, because its ending could not be stored, is resumed too.
     *
     * @throws Conflict if it is sending, finished or cancelled
     */
    public CampaignView resume(long campaignId, HttpServletRequest request) throws Conflict {
        LiveCampaign running = running(campaignId);
        Campaign campaign = find(campaignId);
        if (running != null) {
            if (running.unpause()) {
                return view(campaignId).orElseThrow();
            }
            throw new Conflict("campaign " + campaignId + running.stop().map(stop -> stop == LiveCampaign.Stop.CANCEL
                    ? " is being cancelled" : " is pausing; resume it once it is PAUSED").orElse(" is already queued or sending"));
        }
        if (!resumableWithoutRun(campaign)) {
            throw new Conflict("campaign " + campaignId + " is " + campaign.state() + ": only a paused, interrupted or failed campaign can be resumed");
        }
        // Live first, then the stored state: a cancel from now on goes through the live campaign,
        // and one that came before makes the transition below fail.
        LiveCampaign claimed = claim(campaignId);
        try {
            List<CampaignState> from = switch (campaign.state()) {
                case QUEUED -> List.of(CampaignState.QUEUED);
                // No run here (running is null), yet SENDING from a run of this process: its ending
                // could not be stored, and nothing else would ever move the row on.
                case SENDING -> {
                    LOG.log(System.Logger.Level.WARNING, "campaign " + campaignId + " is SENDING without a run in this"
                            + " process (its last run's ending was not stored); resuming it with the recipients not yet sent");
                    yield List.of(CampaignState.SENDING);
                }
                default -> List.of(CampaignState.PAUSED, CampaignState.INTERRUPTED, CampaignState.FAILED);
            };
            if (!store.transition(campaignId, from, CampaignState.QUEUED, Optional.empty())) {
                throw new Conflict("campaign " + campaignId + " changed meanwhile; reload it");
            }
            endingNotStored.remove(campaignId);
            store.retryRetryable(campaignId);
            store.recount(campaignId);
            schedule(claimed, request);
        } catch (Conflict | RuntimeException e) {
            live.remove(campaignId, claimed);
            throw e;
        }
        return view(campaignId).orElseThrow();
    }

    /** Cancels a campaign: at the next recipient if it is sending, at once otherwise. */
    public CampaignView cancel(long campaignId) throws Conflict {
        LiveCampaign running = running(campaignId);
        Campaign campaign = find(campaignId);
        if (running != null) {
            running.request(LiveCampaign.Stop.CANCEL, "cancelled by request");
        } else if (stranded(campaign)) {
            // Claimed as a resume claims it: a resume meanwhile, whose run would take the row to
            // SENDING again, is refused, and this cancel does not overwrite a live run's row.
            LiveCampaign claimed = claim(campaignId);
            try {
                cancelStored(campaign, List.of(CampaignState.SENDING));
            } finally {
                live.remove(campaignId, claimed);
            }
        } else {
            cancelStored(campaign, List.of(CampaignState.QUEUED, CampaignState.PAUSED, CampaignState.INTERRUPTED,
                    CampaignState.FAILED));
        }
        return view(campaignId).orElseThrow();
    }

    /** Cancels a campaign that has no run in this process, if it is in one of the states. */
    private void cancelStored(Campaign campaign, List<CampaignState> from) throws Conflict {
        if (!store.transition(campaign.id(), from, CampaignState.CANCELLED, Optional.of("cancelled by request"))) {
            throw new Conflict("campaign " + campaign.id() + " is " + campaign.state() + ": it can no longer be cancelled");
        }
        endingNotStored.remove(campaign.id());
        store.finish(campaign.id(), CampaignState.CANCELLED, Optional.of("cancelled by request"),
                campaign.outcome().orElse("NONE"), campaign.connectionStatus().orElse(0), clock.instant());
    }

    public Optional<CampaignView> view(long campaignId) {
        return store.find(campaignId).map(this::view);
    }

    public CampaignView view(Campaign campaign) {
        LiveCampaign running = live.get(campaign.id());
        if (running != null && running(campaign.id()) != running) {
            // its run ended while the row was read: show the ending it stored
            campaign = store.find(campaign.id()).orElse(campaign);
            running = live.get(campaign.id());
        }
        if (running == null) {
            return new CampaignView(campaign, campaign.sent(), campaign.failed(), 0, Optional.empty(), false, Optional.empty(),
                    resumableWithoutRun(campaign));
        }
        Optional<String> stop = running.stop().map(CampaignService::word);
        // A pause asked for and not yet acted on can be taken back by resuming.
        boolean resumable = stop.filter("pause"::equals).isPresent();
        if (!running.ran()) {
            return new CampaignView(campaign, campaign.sent(), campaign.failed(), 0, Optional.empty(), true, stop, resumable);
        }
        return new CampaignView(campaign, running.sentCount(), running.failedCount(), running.rate(), running.eta(), true,
                stop, resumable);
    }

    /** Whether Resume applies to the campaign, read with no run in this process. */
    private boolean resumableWithoutRun(Campaign campaign) {
        return campaign.state().isResumable() || campaign.state() == CampaignState.QUEUED || stranded(campaign);
    }

    /**
     * Whether the campaign, read with no run in this process, is SENDING because a run of this
     * process could not store its ending: then Resume and Cancel apply to it.
     */
    private boolean stranded(Campaign campaign) {
        return campaign.state() == CampaignState.SENDING && endingNotStored.contains(campaign.id());
    }

    /** A preview of the campaign for the first customer the audience selects. */
    public Optional<Map.Entry<Customer, Letters.Letter>> preview(CampaignRequest request) throws InvalidInput {
        CampaignStore.Draft draft = validateContent(request, Optional.empty(), audience(request));
        Optional<Customer> first = customers.first(draft.audience());
        return first.map(c -> Map.entry(c, Letters.letter(draft.subject(), draft.text(), draft.html(),
                new Recipient(0, c.id(), c.email(), c.name(), c.segment(), c.city(), c.language(),
                        RecipientState.PENDING, 0, Optional.empty(), Optional.empty(), Optional.empty()))));
    }

    /** How many customers the request's audience selects (0 if invalid). */
    public long count(CampaignRequest request) throws InvalidInput {
        return customers.count(audience(request));
    }

    private static String word(LiveCampaign.Stop stop) {
        return stop == LiveCampaign.Stop.CANCEL ? "cancel" : "pause";
    }

    /**
     * The campaign's exchange in this process, or null if it has none. If its run has ended and
     * its ending is being stored ({@link #ended}), this waits for that: what the caller then reads
     * from the store is the ending, and a final state is never seen while the campaign is live.
     */
    private LiveCampaign running(long campaignId) {
        LiveCampaign running = live.get(campaignId);
        if (running == null) {
            return null;
        }
        synchronized (running) {
            return live.get(campaignId) == running ? running : null;
        }
    }

    private Campaign find(long campaignId) throws Conflict {
        return store.find(campaignId).orElseThrow(() -> new Conflict("no campaign " + campaignId));
    }

    private Object run(LiveCampaign campaign, TaskContext task) throws Exception {
        if (campaign.stop().filter(s -> s == LiveCampaign.Stop.CANCEL).isPresent()) {
            return null; // cancelled while it waited for a slot
        }
        if (!store.started(campaign.id, task.exchangeId(), clock.instant())) {
            // Only this campaign's live run moves a QUEUED row on, so this is not meant to happen.
            LOG.log(System.Logger.Level.WARNING, "campaign " + campaign.id + ": its run found it " + store.find(campaign.id)
                    .map(c -> c.state().name()).orElse("gone") + " instead of QUEUED, and sends nothing (exchange "
                    + task.exchangeId() + ")");
            return null;
        }
        endingNotStored.add(campaign.id);
        Campaign stored = store.find(campaign.id).orElseThrow();
        LOG.log(System.Logger.Level.INFO, "campaign " + stored.id() + ": sending to " + stored.pending() + " of "
                + stored.total() + " recipients (exchange " + task.exchangeId() + ")");
        CampaignRun.Ending ending = new CampaignRun(stored, campaign, task, store, smtp, letters, limiter, senders,
                options.smtpConnections(), options.maxErrors(), clock).run();
        campaign.ending(ending);
        return null;
    }

    /**
     * The completion callback: writes how this run ended. Called once per exchange, on the
     * toolkit's thread. Under the campaign's lock, which {@link #running} takes: the stored ending
     * and the campaign's leaving {@link #live} are one step for every other request.
     */
    private void ended(LiveCampaign campaign, Completion done) {
        synchronized (campaign) {
            try {
                storeEnding(campaign, done);
                endingNotStored.remove(campaign.id);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "campaign " + campaign.id + ": how exchange " + done.exchangeId()
                        + " ended (" + done.outcome() + ") could not be stored; if it is still SENDING, with no run, Resume"
                        + " (which sends the recipients not stored as sent), Cancel or a restart moves it on", e);
            } finally {
                // Only now, after the mark above: a resume from here on starts a run of its own,
                // whose mark the lines above must not take away.
                live.remove(campaign.id, campaign);
            }
        }
    }

    private void storeEnding(LiveCampaign campaign, Completion done) {
        CampaignRun.Ending ending = campaign.ending();
        Optional<LiveCampaign.Stop> stop = campaign.stop();
        CampaignState state;
        Optional<String> reason;
        if (!campaign.ran() && done.outcome() == io.github.afterresponse.Outcome.FAILED) {
            // failed between taking the row (SENDING) and its first recipient, say the database
            state = CampaignState.FAILED;
            reason = Optional.of("failed: " + done.failure().map(Throwable::toString).orElse("?") + "; Resume tries again");
            store.transition(campaign.id, List.of(CampaignState.QUEUED, CampaignState.SENDING), state, reason);
            store.finish(campaign.id, state, reason, done.outcome().name(), done.status().value(), clock.instant());
            LOG.log(System.Logger.Level.WARNING, "campaign " + campaign.id + ": FAILED before sending ("
                    + reason.get() + "); exchange " + done.exchangeId());
            return;
        }
        if (!campaign.ran()) {
            // It never sent: cancelled or paused while it waited for a slot, found no longer
            // QUEUED, or still waiting when the server stopped. Only a QUEUED row is changed.
            state = stop.map(s -> s == LiveCampaign.Stop.CANCEL ? CampaignState.CANCELLED : CampaignState.PAUSED)
                    .orElse(CampaignState.QUEUED);
            reason = stop.isPresent() ? campaign.stopReason()
                    : Optional.of("waiting for a sending slot when the server stopped");
            if (store.transition(campaign.id, List.of(CampaignState.QUEUED), state, reason) && state.isFinal()) {
                store.finish(campaign.id, state, reason, done.outcome().name(), done.status().value(), clock.instant());
            }
            LOG.log(System.Logger.Level.INFO, "campaign " + campaign.id + ": " + store.find(campaign.id).map(c -> c.state()
                    + c.reason().map(r -> " (" + r + ")").orElse("")).orElse("gone") + "; sent nothing in exchange "
                    + done.exchangeId() + " " + done.outcome());
            return;
        } else if (ending != null) {
            state = ending.state();
            reason = ending.reason();
        } else {
            state = switch (done.outcome()) {
                case FAILED -> CampaignState.FAILED;
                default -> CampaignState.INTERRUPTED;
            };
            reason = Optional.of(switch (done.outcome()) {
                case FAILED -> "failed: " + done.failure().map(Throwable::toString).orElse("?") + "; Resume tries again";
                case SHUT_DOWN -> "the server stopped before this run could end; it sends the rest when it starts again";
                case CANCELLED -> "the time limit ran out; Resume sends the rest";
                default -> "ended with outcome " + done.outcome();
            });
        }
        if (state != CampaignState.COMPLETED && state != CampaignState.CANCELLED && stop.isPresent()) {
            // A cancel (or pause) answered 202 while the run was ending: it is what the person
            // asked for, and an INTERRUPTED or FAILED row would be resumed at the next start.
            state = stop.get() == LiveCampaign.Stop.CANCEL ? CampaignState.CANCELLED : CampaignState.PAUSED;
            reason = campaign.stopReason();
        }
        store.finish(campaign.id, state, reason, done.outcome().name(), done.status().value(), clock.instant());
        Campaign stored = store.find(campaign.id).orElseThrow();
        LOG.log(done.outcome() == io.github.afterresponse.Outcome.FAILED ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "campaign " + stored.id() + ": " + state + reason.map(r -> " (" + r + ")").orElse("") + "; "
                        + stored.sent() + " sent, " + stored.failed() + " failed, " + stored.pending() + " pending"
                        + "; exchange " + done.exchangeId() + " " + done.outcome() + ", status " + done.status().value()
                        + " after " + done.backgroundTime().toMillis() + " ms");
    }

    private CampaignStore.Draft validate(CampaignRequest request, Optional<String> idempotencyKey) throws InvalidInput {
        Audience audience = audience(request);
        CampaignStore.Draft draft = validateContent(request, idempotencyKey, audience);
        long count = customers.count(audience);
        if (count == 0) {
            throw new InvalidInput("recipients", "no customer matches " + audience.describe());
        }
        if (count > options.maxRecipients()) {
            throw new InvalidInput("recipients", "the campaign would have " + count + " recipients, more than the cap of "
                    + options.maxRecipients() + " (--max-recipients)");
        }
        return draft;
    }

    private CampaignStore.Draft validateContent(CampaignRequest request, Optional<String> idempotencyKey, Audience audience)
            throws InvalidInput {
        String subject = required("subject", request.subject(), MAX_SUBJECT).strip();
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            throw new InvalidInput("subject", "subject must be one line, without CR or LF");
        }
        placeholders("subject", subject);
        String text = required("text", request.text(), MAX_BODY);
        placeholders("text", text);
        Optional<String> html = Optional.ofNullable(request.html()).filter(h -> !h.isBlank());
        if (html.isPresent()) {
            if (html.get().length() > MAX_BODY) {
                throw new InvalidInput("html", "html must be at most " + MAX_BODY + " characters, but has " + html.get().length());
            }
            placeholders("html", html.get());
        }
        Optional<String> replyTo = Optional.ofNullable(request.replyTo()).map(String::trim).filter(r -> !r.isEmpty());
        if (replyTo.isPresent()) {
            address("replyTo", replyTo.get());
        }
        return new CampaignStore.Draft(subject, text, html, options.from(), replyTo, audience, idempotencyKey, hash(request));
    }

    private Audience audience(CampaignRequest request) throws InvalidInput {
        Optional<String> segment = choice("segment", request.segment(), customers.segments());
        Optional<String> city = choice("city", request.city(), customers.cities());
        if (request.emails().size() > options.maxRecipients()) {
            throw new InvalidInput("emails", "emails may name at most " + options.maxRecipients()
                    + " addresses (--max-recipients), but names " + request.emails().size());
        }
        if (request.emails().size() > MAX_EMAILS) {
            // each address is a bind parameter; PostgreSQL's driver takes at most 32767 per statement
            throw new InvalidInput("emails", "emails may name at most " + MAX_EMAILS + " addresses (select larger"
                    + " audiences by segment and city), but names " + request.emails().size());
        }
        for (int i = 0; i < request.emails().size(); i++) {
            address("emails[" + i + "]", request.emails().get(i));
        }
        List<String> emails = request.emails().stream().map(String::trim).distinct().toList();
        Set<String> unknown = customers.unknownEmails(emails);
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            int index = indexOfIgnoringCase(request.emails(), first);
            throw new InvalidInput("emails[" + index + "]", "no customer has the address '" + first + "'"
                    + (unknown.size() > 1 ? " (nor " + (unknown.size() - 1) + " more of the addresses)" : ""));
        }
        return new Audience(segment, city, emails);
    }

    private static int indexOfIgnoringCase(List<String> values, String wanted) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).trim().equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        return 0;
    }

    private static Optional<String> choice(String field, String value, List<String> known) throws InvalidInput {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (!known.contains(value)) {
            throw new InvalidInput(field, field + " must be one of " + known + " or empty, but was '" + shorten(value) + "'");
        }
        return Optional.of(value);
    }

    private static void address(String field, String value) throws InvalidInput {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field, field + " must be an e-mail address, but was empty");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new InvalidInput(field, field + " must not contain CR or LF");
        }
        try {
            InternetAddress address = new InternetAddress(value.trim(), true);
            if (address.getAddress().indexOf('@') < 1) {
                throw new AddressException("no domain");
            }
        } catch (AddressException e) {
            throw new InvalidInput(field, field + " must be an e-mail address, but was '" + shorten(value) + "'");
        }
    }

    private static String required(String field, String value, int max) throws InvalidInput {
        if (value == null || value.isBlank()) {
            throw new InvalidInput(field, field + " must not be empty");
        }
        if (value.length() > max) {
            throw new InvalidInput(field, field + " must be at most " + max + " characters, but has " + value.length());
        }
        return value;
    }

    private static void placeholders(String field, String text) throws InvalidInput {
        Set<String> unknown = Letters.unknownPlaceholders(text);
        if (!unknown.isEmpty()) {
            throw new InvalidInput(field, field + " has unknown placeholders " + unknown + "; the known ones are "
                    + Letters.placeholderNames());
        }
    }

    private static String shorten(String value) {
        String oneLine = value.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }

    /** The same for the same request: what an idempotency key must come with again. */
    static String hash(CampaignRequest request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : java.util.Arrays.asList(request.subject(), request.text(), request.html(),
                    request.segment(), request.city(), request.replyTo())) {
                hashField(digest, part);
            }
            digest.update(Integer.toString(request.emails().size()).getBytes(StandardCharsets.US_ASCII));
            for (String email : request.emails()) {
                hashField(digest, email);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A missing field and one that says "null" hash differently; lengths keep fields apart. */
    private static void hashField(MessageDigest digest, String value) {
        if (value == null) {
            digest.update((byte) 'N');
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) 'S');
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    /** Campaigns with an exchange in this process now. */
    public int active() {
        return live.size();
    }
}
