package io.github.afterresponse.demo.store;

/**
 * Where a campaign stands, as stored.
 *
 * <pre>
 *            create                  its exchange starts
 *   (new) ──────────▶ QUEUED ─────────────────────────▶ SENDING ──▶ COMPLETED
 *                      ▲  │ cancel                        │ │ │
 *                      │  ▼                               │ │ └──▶ CANCELLED   (cancel)
 *                      │ CANCELLED                        │ └────▶ PAUSED      (pause, or too many errors in a row)
 *        resume        │                                  └──────▶ INTERRUPTED (stop, time limit) · FAILED (a bug)
 *   PAUSED, INTERRUPTED, FAILED ───────────────────────────▶ QUEUED
 * </pre>
 *
 * At start-up every QUEUED, SENDING (the process died) and INTERRUPTED campaign is resumed; PAUSED
 * and FAILED ones wait for a person. A person may also resume a QUEUED campaign that has no run in
 * the process, and resume or cancel a SENDING one that a run of this process left so because its
 * ending could not be stored.
 */
public enum CampaignState {
    QUEUED, SENDING, PAUSED, INTERRUPTED, COMPLETED, CANCELLED, FAILED;

    /** Whether nothing more will happen to it. */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }

    /** Whether Resume applies. */
    public boolean isResumable() {
        return this == PAUSED || this == INTERRUPTED || this == FAILED;
    }
}
