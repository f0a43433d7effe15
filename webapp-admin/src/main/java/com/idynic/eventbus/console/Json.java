package com.idynic.eventbus.console;

import com.idynic.eventbus.api.CachedJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.Map;

/** JSON shown on a page, indented. */
final class Json {
    private static final JsonWriterFactory PRETTY =
            CachedJson.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));

    private Json() {}

    static String pretty(JsonObject o) {
        StringWriter w = new StringWriter();
        try (var writer = PRETTY.createWriter(w)) {
            writer.writeObject(o);
        }
        return w.toString().trim();
    }
}
