package io.github.afterresponse.standalone;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One reading of the WAR's {@code /status.json}. */
record StatusPage(JsonObject json, RawResponse response) {

    static StatusPage fetch(StandaloneServer server) throws IOException {
        RawResponse response = RawHttpClient.get(server.port(), server.path("/status.json"));
        if (response.statusCode() != 200) {
            throw new IOException("status.json answered " + response.statusCode() + ": " + response);
        }
        return new StatusPage(JsonParser.parseString(response.bodyText(StandardCharsets.UTF_8)).getAsJsonObject(), response);
    }

    /** The recorded exchange with this id. */
    Optional<Exchange> exchange(String id) {
        for (JsonElement element : json.getAsJsonArray("exchanges")) {
            JsonObject exchange = element.getAsJsonObject();
            if (id.equals(exchange.get("id").getAsString())) {
                return Optional.of(new Exchange(exchange));
            }
        }
        return Optional.empty();
    }

    List<Exchange> exchanges() {
        List<Exchange> all = new ArrayList<>();
        json.getAsJsonArray("exchanges").forEach(e -> all.add(new Exchange(e.getAsJsonObject())));
        return all;
    }

    /** The filters' names, each with its class and mappings. */
    List<JsonObject> filters() {
        List<JsonObject> all = new ArrayList<>();
        json.getAsJsonArray("filters").forEach(e -> all.add(e.getAsJsonObject()));
        return all;
    }

    /** Requests every filter admitted, summed. */
    long acceptedByAllFilters() {
        long sum = 0;
        for (JsonObject filter : filters()) {
            if (filter.get("monitor").isJsonObject()) {
                sum += filter.getAsJsonObject("monitor").get("accepted").getAsLong();
            }
        }
        return sum;
    }

    String programmaticExecutor() {
        return json.getAsJsonObject("programmaticExecutor").get("choice").getAsString();
    }

    String programmaticExecutorReason() {
        return json.getAsJsonObject("programmaticExecutor").get("reason").getAsString();
    }

    /** One exchange as the status page lists it. */
    record Exchange(JsonObject json) {

        String id() {
            return text("id").orElseThrow();
        }

        String style() {
            return text("style").orElseThrow();
        }

        String filter() {
            return text("filter").orElse("");
        }

        String path() {
            return text("path").orElse("");
        }

        /** The outcome, once a callback ran. */
        Optional<String> outcome() {
            return text("outcome");
        }

        int status() {
            return json.get("status").getAsInt();
        }

        int callbacksRun() {
            return json.get("callbacksRun").getAsInt();
        }

        String requestThread() {
            return text("requestThread").orElse("");
        }

        Optional<String> workThread() {
            return text("workThread");
        }

        private Optional<String> text(String name) {
            JsonElement value = json.get(name);
            return value == null || value.isJsonNull() ? Optional.empty() : Optional.of(value.getAsString());
        }

        @Override
        public String toString() {
            return json.toString();
        }
    }
}
