package com.idynic.eventbus.api;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonPointer;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParserFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * The static factories of {@link jakarta.json.Json}, on a provider looked up once. {@code Json}'s own look the
 * provider up on every call ({@link JsonProvider#provider()}: a {@code ServiceLoader} scan and a new provider,
 * about 100 µs each), which made the content hash of one event cost about 2 ms of CPU; the bus calls JSON-P only
 * through this class ({@code ArchitectureTest}). A provider is thread-safe and holds no per-call state.
 *
 * @since 0.21.0
 */
public final class CachedJson {
    private static final JsonProvider PROVIDER = JsonProvider.provider();

    private CachedJson() {}

    /** @return the provider, for what this class does not offer */
    public static JsonProvider provider() {
        return PROVIDER;
    }

    /** @return as {@link jakarta.json.Json#createObjectBuilder()} */
    public static JsonObjectBuilder createObjectBuilder() {
        return PROVIDER.createObjectBuilder();
    }

    /** @return as {@link jakarta.json.Json#createObjectBuilder(JsonObject)}: a builder holding {@code object} */
    public static JsonObjectBuilder createObjectBuilder(JsonObject object) {
        return PROVIDER.createObjectBuilder(object);
    }

    /** @return as {@link jakarta.json.Json#createObjectBuilder(Map)} */
    public static JsonObjectBuilder createObjectBuilder(Map<String, ?> map) {
        return PROVIDER.createObjectBuilder(map);
    }

    /** @return as {@link jakarta.json.Json#createArrayBuilder()} */
    public static JsonArrayBuilder createArrayBuilder() {
        return PROVIDER.createArrayBuilder();
    }

    /** @return as {@link jakarta.json.Json#createArrayBuilder(JsonArray)}: a builder holding {@code array} */
    public static JsonArrayBuilder createArrayBuilder(JsonArray array) {
        return PROVIDER.createArrayBuilder(array);
    }

    /** @return as {@link jakarta.json.Json#createArrayBuilder(Collection)} */
    public static JsonArrayBuilder createArrayBuilder(Collection<?> values) {
        return PROVIDER.createArrayBuilder(values);
    }

    /** @return as {@link jakarta.json.Json#createReader(Reader)} */
    public static JsonReader createReader(Reader reader) {
        return PROVIDER.createReader(reader);
    }

    /** @return as {@link jakarta.json.Json#createReader(InputStream)} (the encoding detected) */
    public static JsonReader createReader(InputStream in) {
        return PROVIDER.createReader(in);
    }

    /** @return as {@link jakarta.json.Json#createGenerator(Writer)} */
    public static JsonGenerator createGenerator(Writer writer) {
        return PROVIDER.createGenerator(writer);
    }

    /** @return as {@link jakarta.json.Json#createGenerator(OutputStream)} (UTF-8) */
    public static JsonGenerator createGenerator(OutputStream out) {
        return PROVIDER.createGenerator(out);
    }

    /** @return as {@link jakarta.json.Json#createParserFactory(Map)} */
    public static JsonParserFactory createParserFactory(Map<String, ?> config) {
        return PROVIDER.createParserFactory(config);
    }

    /** @return as {@link jakarta.json.Json#createBuilderFactory(Map)} */
    public static JsonBuilderFactory createBuilderFactory(Map<String, ?> config) {
        return PROVIDER.createBuilderFactory(config);
    }

    /** @return as {@link jakarta.json.Json#createWriterFactory(Map)} */
    public static JsonWriterFactory createWriterFactory(Map<String, ?> config) {
        return PROVIDER.createWriterFactory(config);
    }

    /** @return as {@link jakarta.json.Json#createPointer(String)}, e.g. {@code /data/email} */
    public static JsonPointer createPointer(String pointer) {
        return PROVIDER.createPointer(pointer);
    }

    /** @return as {@link jakarta.json.Json#createValue(String)} */
    public static JsonString createValue(String value) {
        return PROVIDER.createValue(value);
    }

    /** @return as {@link jakarta.json.Json#createValue(int)} */
    public static JsonNumber createValue(int value) {
        return PROVIDER.createValue(value);
    }

    /** @return as {@link jakarta.json.Json#createValue(long)} */
    public static JsonNumber createValue(long value) {
        return PROVIDER.createValue(value);
    }

    /** @return as {@link jakarta.json.Json#createValue(double)} */
    public static JsonNumber createValue(double value) {
        return PROVIDER.createValue(value);
    }

    /** @return as {@link jakarta.json.Json#createValue(BigDecimal)} */
    public static JsonNumber createValue(BigDecimal value) {
        return PROVIDER.createValue(value);
    }
}
