package io.github.afterresponse.demo.store;

/** A recipient's delivery: not yet tried, accepted by the SMTP server, or refused (with its reason). */
public enum RecipientState {
    PENDING, SENT, FAILED
}
