package io.github.afterresponse.demo.campaign;

import io.github.afterresponse.TaskContext;
import io.github.afterresponse.demo.mail.Letters;
import io.github.afterresponse.demo.mail.SendLimiter;
import io.github.afterresponse.demo.mail.SmtpPool;
import io.github.afterresponse.demo.store.Campaign;
import io.github.afterresponse.demo.store.CampaignState;
import io.github.afterresponse.demo.store.CampaignStore;
import io.github.afterresponse.demo.store.Recipient;
import io.github.afterresponse.demo.store.RecipientState;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of one campaign, inside the toolkit's continuation: the task's thread hands the
 * recipients still PENDING to up to one sender per SMTP connection, and each sender checks
 * before every recipient whether to stop (pause, cancel, too many failures in a row, the time
 * limit, the server stopping). A stop therefore falls on a recipient boundary: a message is either
 * accepted and stored as SENT, or not sent and still PENDING.
 */
final class CampaignRun {

    /** How the run ended, for the completion callback. */
    record Ending(CampaignState state, Optional<String> reason) {
    }

    private static final int BATCH = 200;
    private static final System.Logger LOG = System.getLogger(CampaignRun.class.getName());

    private final Campaign campaign;
    private final LiveCampaign live;
    private final TaskContext task;
    private final CampaignStore store;
    private final SmtpPool smtp;
    private final Letters letters;
    private final SendLimiter limiter;
    private final ExecutorService senders;
    private final int parallelism;
    private final int maxErrors;
    private final Clock clock;

    private final Object batchLock = new Object();
    private Iterator<Recipient> batch = java.util.Collections.emptyIterator();
    private long lastCustomerId;
    private boolean exhausted;
    private boolean byPrimaryKey;
    /** Set when the task's thread was interrupted or a sender failed: every sender stops. */
    private volatile boolean halted;

    CampaignRun(Campaign campaign, LiveCampaign live, TaskContext task, CampaignStore store, SmtpPool smtp,
                Letters letters, SendLimiter limiter, ExecutorService senders, int parallelism, int maxErrors, Clock clock) {
        this.campaign = campaign;
        this.live = live;
        this.task = task;
        this.store = store;
        this.smtp = smtp;
        this.letters = letters;
        this.limiter = limiter;
        this.senders = senders;
        this.parallelism = parallelism;
        this.maxErrors = maxErrors;
        this.clock = clock;
    }

    /** Sends until done or told to stop; called on the task's thread. */
    Ending run() throws Exception {
        Map<RecipientState, Integer> counts = store.counts(campaign.id());
        live.began(campaign.total(), counts.get(RecipientState.SENT), counts.get(RecipientState.FAILED));
        boolean interrupted = pass(counts.get(RecipientState.PENDING));
        for (int sweep = 1; sweep <= 2 && !interrupted && !halted && live.stop().isEmpty() && !task.shouldStop()
                && !senders.isShutdown(); sweep++) {
            int pending = store.counts(campaign.id()).get(RecipientState.PENDING);
            if (pending == 0) {
                break;
            }
            // Every sender found no PENDING recipient after the last one handed out, yet some are
            // PENDING: go over the campaign once more from its first customer, by its primary key.
            LOG.log(System.Logger.Level.WARNING, "campaign " + campaign.id() + ": " + pending + " recipients still"
                    + " PENDING after the pass over all of them; sending to them in sweep " + sweep);
            synchronized (batchLock) {
                lastCustomerId = 0;
                exhausted = false;
                batch = java.util.Collections.emptyIterator();
                byPrimaryKey = true;
            }
            interrupted = pass(pending);
        }
        task.progress(live.sentCount() + live.failedCount(), live.total());
        return ending(interrupted);
    }

    /** One pass of the senders over the PENDING recipients; true if this thread was interrupted. */
    private boolean pass(int pending) throws Exception {
        int senderCount = Math.max(1, Math.min(parallelism, pending));
        List<Future<?>> running = new ArrayList<>(senderCount);
        for (int i = 0; i < senderCount; i++) {
            running.add(senders.submit(() -> {
                try {
                    sendUntilStopped();
                } catch (Exception | Error e) {
                    halted = true;
                    throw e;
                }
                return null;
            }));
        }
        boolean interrupted = false;
        try {
            for (Future<?> sender : running) {
                while (!interrupted && !halted) {
                    try {
                        sender.get(250, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException e) {
                        task.progress(live.sentCount() + live.failedCount(), live.total());
                    } catch (ExecutionException e) {
                        break; // halted: the others stop after their message; rethrown below
                    } catch (InterruptedException e) {
                        // The toolkit interrupts this thread when the time limit runs out or the
                        // shutdown grace is over: the senders stop after their current message.
                        interrupted = true;
                        halted = true;
                    }
                }
            }
            // Never return while a sender is still on a message: the completion callback would
            // store an ending, and a resume could start a run that sends that recipient again.
            awaitQuietly(running);
            for (Future<?> sender : running) {
                try {
                    sender.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return interrupted;
    }

    private Ending ending(boolean interrupted) {
        live.stopping(); // a stop asked for by now is this run's ending: no resume can take it back
        Optional<LiveCampaign.Stop> stop = live.stop();
        if (stop.isPresent()) {
            return switch (stop.get()) {
                case CANCEL -> new Ending(CampaignState.CANCELLED, live.stopReason());
                case PAUSE, AUTO_PAUSE -> new Ending(CampaignState.PAUSED, live.stopReason());
            };
        }
        if (interrupted || task.shouldStop()) {
            boolean late = task.deadline().map(d -> !clock.instant().isBefore(d)).orElse(false);
            return new Ending(CampaignState.INTERRUPTED, Optional.of(late
                    ? "the time limit ran out; Resume sends the rest"
                    : "the server stopped; it sends the rest when it starts again"));
        }
        int pending = store.counts(campaign.id()).get(RecipientState.PENDING);
        if (pending > 0) {
            // not one of the stops above, yet not done (a sender failed, or rows appeared): never
            // COMPLETED with recipients left, since a COMPLETED campaign cannot be resumed
            return new Ending(CampaignState.INTERRUPTED, Optional.of(pending + " recipients are still pending; Resume sends them"));
        }
        return new Ending(CampaignState.COMPLETED, Optional.empty());
    }

    private void sendUntilStopped() throws InterruptedException, MessagingException {
        while (!shouldStop()) {
            Recipient recipient = next();
            if (recipient == null) {
                return;
            }
            if (!limiter.acquire(this::shouldStop)) {
                return;
            }
            Letters.Letter letter = Letters.letter(campaign.subject(), campaign.text(), campaign.html(), recipient);
            SmtpPool.Result result = smtp.send(letters.message(campaign.id(), campaign.sender(), campaign.replyTo(), letter,
                    recipient), this::shouldStop);
            Instant now = clock.instant();
            if (result instanceof SmtpPool.Result.NotSent) {
                return; // told to stop while waiting for a connection: still PENDING
            }
            if (result instanceof SmtpPool.Result.Refused refused) {
                store.markFailed(campaign.id(), recipient.customerId(), refused.reason(), refused.retryable(), now);
                int inARow = live.failed();
                if (inARow >= maxErrors) {
                    live.request(LiveCampaign.Stop.AUTO_PAUSE, "paused after " + inARow + " failures in a row; the last: "
                            + refused.reason());
                }
            } else {
                store.markSent(campaign.id(), recipient.customerId(),
                        Letters.messageId(campaign.id(), recipient.customerId(), campaign.sender()), now);
                live.sent();
            }
        }
    }

    private boolean shouldStop() {
        return halted || live.stopping() || task.shouldStop() || Thread.currentThread().isInterrupted();
    }

    /** The next PENDING recipient, or null when there is none. */
    private Recipient next() {
        synchronized (batchLock) {
            if (!batch.hasNext() && !exhausted) {
                List<Recipient> rows = byPrimaryKey ? store.pendingByPrimaryKey(campaign.id(), lastCustomerId, BATCH)
                        : store.pending(campaign.id(), lastCustomerId, BATCH);
                exhausted = rows.isEmpty(); // not "fewer than asked": only an empty page ends the pass
                batch = rows.iterator();
            }
            if (!batch.hasNext()) {
                return null;
            }
            Recipient recipient = batch.next();
            lastCustomerId = recipient.customerId();
            return recipient;
        }
    }

    /**
     * Waits for every sender to end: after an interrupt or a failure they finish the message they
     * are on (bounded by the SMTP timeouts). Interrupts meanwhile are kept for the caller.
     */
    private void awaitQuietly(List<Future<?>> running) {
        boolean interrupted = false;
        for (Future<?> sender : running) {
            long since = System.nanoTime();
            while (true) {
                try {
                    sender.get(75, TimeUnit.SECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: what a sender is doing must end stored
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break;
                } catch (TimeoutException e) {
                    // Still bounded (SMTP connect 10 s, each read and write 30 s), only long.
                    LOG.log(System.Logger.Level.WARNING, "campaign " + campaign.id() + ": a sender is still on a message "
                            + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since) + " s after the run was told to stop");
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
