package com.idynic.eventbus.bench;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Optional;

/** Reading the bus's JSON answers (jakarta.json). */
final class Json {
    private Json() {}

    static JsonObject object(String body) {
        try (JsonReader r = jakarta.json.Json.createReader(new StringReader(body))) {
            return r.readObject();
        }
    }

    static JsonArray array(JsonObject o, String field) {
        return o.get(field) instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
    }

    static Optional<String> string(JsonObject o, String field) {
        return o != null && o.get(field) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    static Optional<Long> number(JsonObject o, String field) {
        return o != null && o.get(field) instanceof JsonNumber n ? Optional.of(n.longValue()) : Optional.empty();
    }

    /** @return the {@code data} of the named check in a MicroProfile Health answer, or null */
    static JsonObject checkData(JsonObject health, String name) {
        for (JsonValue v : array(health, "checks")) {
            if (v instanceof JsonObject c
                    && name.equals(string(c, "name").orElse(""))
                    && c.get("data") instanceof JsonObject d) {
                return d;
            }
        }
        return null;
    }
}
