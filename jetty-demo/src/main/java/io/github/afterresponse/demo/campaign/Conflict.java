package io.github.afterresponse.demo.campaign;

/** The request does not fit the campaign's state or an earlier request (409). */
public final class Conflict extends Exception {

    public Conflict(String message) {
        super(message);
    }
}
