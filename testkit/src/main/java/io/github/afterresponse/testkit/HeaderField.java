package io.github.afterresponse.testkit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One response header field as received: name (in the case the client reports it) and value. */
public record HeaderField(String name, String value) {

    /** Creates a header field; neither part may be null. */
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** The value of the first field named {@code name}, matched case-insensitively. */
    public static Optional<String> first(List<HeaderField> fields, String name) {
        return fields.stream().filter(field -> field.name().equalsIgnoreCase(name)).map(HeaderField::value).findFirst();
    }

    /** The values of every field named {@code name}, matched case-insensitively, in order. */
    public static List<String> all(List<HeaderField> fields, String name) {
        return fields.stream().filter(field -> field.name().equalsIgnoreCase(name)).map(HeaderField::value).toList();
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
