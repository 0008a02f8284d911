package io.github.afterresponse.demo.campaign;

/** A request the mailer refuses as it is (400), naming the field at fault. Nothing was stored. */
public final class InvalidInput extends Exception {

    private final String field;

    public InvalidInput(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault, as the request names it ({@code subject}, {@code emails[2]}, {@code recipients}). */
    public String field() {
        return field;
    }
}
