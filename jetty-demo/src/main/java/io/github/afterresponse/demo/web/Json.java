package io.github.afterresponse.demo.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.github.afterresponse.demo.campaign.CampaignRequest;
import io.github.afterresponse.demo.campaign.CampaignView;
import io.github.afterresponse.demo.campaign.InvalidInput;
import io.github.afterresponse.demo.mail.Outbox;
import io.github.afterresponse.demo.store.Campaign;
import io.github.afterresponse.demo.store.Recipient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** JSON in and out, with Jackson: the API's shapes in one place. */
public final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    static {
        // Jackson would take 42 or true for a string field as "42" or "true": a client's mistake
        // (a wrong field, a template engine's output) sent to thousands of customers.
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    private Json() {
    }

    /** Reads a campaign request; malformed JSON or a wrong field names the field. */
    static CampaignRequest campaignRequest(InputStream body) throws InvalidInput, IOException {
        // A parser of its own, closed only once an error is described: it still knows the token at fault.
        JsonParser parser = null;
        try {
            parser = MAPPER.createParser(body);
            parser.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the caller reads what follows the value
            CampaignRequest request = MAPPER.readValue(parser, CampaignRequest.class);
            if (request == null) {
                throw new InvalidInput("(body)", "the body must be a JSON object, but was null");
            }
            return request;
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String problem = e.getOriginalMessage().split("\n", 2)[0];
            if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                problem = (field.isEmpty() ? "the body" : field) + " must be " + expected(mismatch.getTargetType())
                        + ", but was " + found(mismatch, parser);
            }
            if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
                field = unknown.getPropertyName();
                problem = "unknown field '" + unknown.getPropertyName() + "'; the fields are subject, text, html,"
                        + " segment, city, emails, replyTo";
            }
            throw new InvalidInput(field.isEmpty() ? "(body)" : field, problem);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("(body)", "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage().split("\n", 2)[0]);
        } finally {
            if (parser != null) {
                parser.close();
            }
        }
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        return java.util.Collection.class.isAssignableFrom(type) ? "an array of strings" : "a JSON object";
    }

    /** What the client sent where the type did not fit: the value itself if it is a scalar. */
    private static String found(MismatchedInputException e, JsonParser parser) {
        if (e instanceof InvalidFormatException format && format.getValue() != null && !(format.getValue() instanceof String)) {
            return String.valueOf(format.getValue());
        }
        JsonToken token = parser == null ? null : parser.currentToken();
        if (token == null) {
            return "empty";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    static void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void error(HttpServletResponse response, int status, String message, Optional<String> field) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        field.ifPresent(f -> body.put("field", f));
        write(response, status, body);
    }

    static Map<String, Object> campaign(CampaignView view) {
        Campaign c = view.campaign();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", c.id());
        json.put("subject", c.subject());
        json.put("state", c.state().name());
        json.put("stopRequested", view.stopRequested().orElse(null));
        json.put("reason", c.reason().orElse(null));
        json.put("audience", c.audience());
        json.put("total", c.total());
        json.put("sent", view.sent());
        json.put("failed", view.failed());
        json.put("pending", view.pending());
        json.put("percentDone", view.percentDone());
        json.put("rate", Math.round(view.rate() * 10) / 10.0);
        json.put("etaSeconds", view.eta().map(d -> Math.max(1, Math.round(d.toMillis() / 1000.0))).orElse(null));
        json.put("active", view.active());
        json.put("resumable", view.resumable());
        json.put("runs", c.runs());
        json.put("outcome", c.outcome().orElse(null));
        json.put("connectionStatus", c.connectionStatus().orElse(null));
        json.put("createdAt", c.createdAt().toString());
        json.put("startedAt", c.startedAt().map(Instant::toString).orElse(null));
        json.put("finishedAt", c.finishedAt().map(Instant::toString).orElse(null));
        json.put("links", Map.of(
                "self", "/api/campaigns/" + c.id(),
                "recipients", "/api/campaigns/" + c.id() + "/recipients",
                "page", "/campaigns/" + c.id()));
        return json;
    }

    static Map<String, Object> recipient(Recipient r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("customerId", r.customerId());
        json.put("email", r.email());
        json.put("name", r.name());
        json.put("state", r.state().name());
        json.put("attempts", r.attempts());
        json.put("reason", r.reason().orElse(null));
        json.put("messageId", r.messageId().orElse(null));
        json.put("finishedAt", r.finishedAt().map(Instant::toString).orElse(null));
        return json;
    }

    static Map<String, Object> mail(Outbox.Mail mail, boolean withRaw) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("number", mail.number());
        json.put("receivedAt", mail.receivedAt().toString());
        json.put("from", mail.from());
        json.put("to", mail.to());
        json.put("subject", mail.subject());
        if (withRaw) {
            json.put("raw", mail.raw());
        }
        return json;
    }
}
