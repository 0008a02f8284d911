package io.github.afterresponse.demo.campaign;

import java.util.List;

/**
 * A new campaign as the API and the form send it. Every field may be missing; {@link
 * CampaignService#create} says which ones must not be.
 *
 * @param subject the subject, with placeholders such as {@code {name}}
 * @param text the plain-text body
 * @param html an optional HTML body, sent as the alternative to the text
 * @param segment only customers of this segment
 * @param city only customers of this city
 * @param emails only the customers with these addresses
 * @param replyTo an optional Reply-To address
 */
public record CampaignRequest(String subject, String text, String html, String segment, String city,
                              List<String> emails, String replyTo) {

    public CampaignRequest {
        emails = emails == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(emails));
    }
}
