package io.github.afterresponse.testkit;

import java.util.Objects;

/** One response header field as received: name (in the case the client reports it) and value. */
public record HeaderField(String name, String value) {

    /** Creates a header field; neither part may be null. */
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
