package io.github.afterresponse.demo.store;

import java.util.List;
import java.util.Optional;

/**
 * Which customers a campaign goes to: all of a segment and/or a city, or the customers with the
 * given addresses. Empty fields do not filter.
 */
public record Audience(Optional<String> segment, Optional<String> city, List<String> emails) {

    public Audience {
        emails = List.copyOf(emails);
    }

    /** For people: "segment vip, city Lyon", "3 addresses", "everyone". */
    public String describe() {
        StringBuilder text = new StringBuilder();
        segment.ifPresent(s -> text.append("segment ").append(s));
        city.ifPresent(c -> text.append(text.isEmpty() ? "" : ", ").append("city ").append(c));
        if (!emails.isEmpty()) {
            text.append(text.isEmpty() ? "" : ", ").append(emails.size()).append(emails.size() == 1 ? " address" : " addresses");
        }
        return text.isEmpty() ? "every customer" : text.toString();
    }
}
