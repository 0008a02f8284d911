package io.github.afterresponse.demo.war;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal JSON writer for the status page: objects, arrays, strings, numbers, booleans and null,
 * with commas placed for the caller and strings escaped as RFC 8259 requires (quote, backslash and
 * every control character; {@code <}, {@code >}, {@code &} and U+2028/2029 as well, so the text is
 * also safe inside HTML). Not thread-safe; one per response.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    /** Per open container: whether it has a value yet. */
    private final Deque<Boolean> hasValue = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        hasValue.push(false);
        return this;
    }

    JsonWriter endObject() {
        hasValue.pop();
        out.append('}');
        return this;
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        hasValue.push(false);
        return this;
    }

    JsonWriter endArray() {
        hasValue.pop();
        out.append(']');
        return this;
    }

    JsonWriter name(String name) {
        beforeValue();
        quote(name);
        out.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String value) {
        beforeValue();
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    JsonWriter value(long value) {
        beforeValue();
        out.append(value);
        return this;
    }

    JsonWriter value(boolean value) {
        beforeValue();
        out.append(value);
        return this;
    }

    JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!hasValue.isEmpty()) {
            if (hasValue.peek()) {
                out.append(',');
            } else {
                hasValue.pop();
                hasValue.push(true);
            }
        }
    }

    private void quote(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
