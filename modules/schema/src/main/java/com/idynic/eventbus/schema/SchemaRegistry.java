package com.idynic.eventbus.schema;

import com.idynic.eventbus.api.Auditor;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.CanonicalJson;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.schema.spi.SchemaStore;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers schema versions (checking the event type's compatibility mode against the latest version)
 * and validates published events against the latest version, or the one {@code metadata.schemaVersion}
 * names. Event types without a schema are accepted or refused as configured.
 *
 * @since 0.2.0
 */
public final class SchemaRegistry {
    /**
     * Result of a registration or a dry run.
     *
     * @param existing whether the schema was already registered as {@code version} (nothing new was stored)
     */
    public record Registration(int version, List<String> breaks, Compatibility mode, boolean existing) {}

    private static final long CACHE_NANOS = 1_000_000_000L;

    private final SchemaStore store;
    private final DataValidator validator;
    private final boolean rejectUnregistered;
    private final Auditor audit;
    private final Map<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private final SensitiveFields sensitive = new SensitiveFields(this::cachedVersions);

    private record Cached(List<SchemaVersion> versions, long loadedAt) {}

    /**
     * @return the fields the types' schemas mark {@code "x-sensitive": true}, from the versions read at most a second
     *     ago
     * @since 0.19.0
     */
    public SensitiveFields sensitiveFields() {
        return sensitive;
    }

    /**
     * @param rejectUnregistered refuse events of types that have no schema ({@code reject} mode)
     */
    public SchemaRegistry(SchemaStore store, DataValidator validator, boolean rejectUnregistered) {
        this(store, validator, rejectUnregistered, Auditor.NONE);
    }

    /**
     * @param rejectUnregistered refuse events of types that have no schema ({@code reject} mode)
     * @param audit records each version registered (not dry runs or re-registrations), each deprecation and each
     *     compatibility change, with the caller's name
     */
    public SchemaRegistry(SchemaStore store, DataValidator validator, boolean rejectUnregistered, Auditor audit) {
        this.store = store;
        this.validator = validator;
        this.rejectUnregistered = rejectUnregistered;
        this.audit = audit;
    }

    /**
     * Checks, and unless {@code dryRun} stores, a new version. A schema equal to a registered version (same
     * JSON, whatever its key order or spacing) is that version: registering it again stores nothing, as
     * schema registries do, so a deploy script can register its schemas on every start.
     *
     * @return the new version number (the would-be number for a dry run) and what breaks, or the existing
     *     version
     * @param actor the calling service, for the audit log
     * @throws BusException {@code INCOMPATIBLE_SCHEMA} (not for a dry run) naming what breaks
     */
    public Registration register(String actor, String eventType, JsonObject schema, boolean dryRun) {
        try {
            validator.compile(schema.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("schema", e.getMessage());
        }
        List<SchemaVersion> versions = store.versions(eventType);
        Compatibility mode = mode(eventType);
        String canonical = CanonicalJson.render(schema);
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (CanonicalJson.render(parse(versions.get(i).schema())).equals(canonical)) {
                return new Registration(versions.get(i).version(), List.of(), mode, true);
            }
        }
        List<String> breaks = versions.isEmpty()
                ? List.of()
                : CompatibilityChecker.breaks(
                        parse(versions.get(versions.size() - 1).schema()), schema, mode);
        if (dryRun) {
            return new Registration(versions.size() + 1, breaks, mode, false);
        }
        if (!breaks.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("eventType", eventType);
            details.put("compatibility", mode.name());
            details.put("error", breaks.get(0));
            details.put("errors", breaks);
            throw new BusException(
                    ErrorCode.INCOMPATIBLE_SCHEMA,
                    "New schema for '" + eventType + "' breaks " + mode + " compatibility: " + breaks.get(0),
                    details);
        }
        int version = store.add(eventType, schema.toString());
        cache.remove(eventType);
        audit.audit(actor, "schema-register", null, eventType + " v" + version);
        return new Registration(version, List.of(), mode, false);
    }

    /** @return the type's compatibility mode ({@code BACKWARD} unless set) */
    public Compatibility mode(String eventType) {
        return store.compatibility(eventType).orElse(Compatibility.BACKWARD);
    }

    /**
     * @throws BusException {@code SCHEMA_VALIDATION_ERROR} with {@code details.field}, {@code details.error}
     *     for the first violation and {@code details.errors} listing all
     */
    public void validate(EventEnvelope e) {
        List<SchemaVersion> versions = cachedVersions(e.eventType());
        if (versions.isEmpty()) {
            if (rejectUnregistered) {
                throw new BusException(
                        ErrorCode.SCHEMA_VALIDATION_ERROR,
                        "No schema is registered for event type '" + e.eventType() + "'",
                        Map.of("field", "eventType", "error", "has no registered schema"));
            }
            return;
        }
        SchemaVersion v = pick(e, versions);
        List<DataValidator.Violation> violations =
                validator.validate(v.schema(), e.data().toString());
        if (violations.isEmpty()) {
            return;
        }
        violations = scrubbed(e, violations);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", violations.get(0).field());
        details.put("error", violations.get(0).error());
        details.put("schemaVersion", v.version());
        details.put(
                "errors",
                violations.stream()
                        .map(x -> Map.of("field", x.field(), "error", x.error()))
                        .toList());
        throw new BusException(
                ErrorCode.SCHEMA_VALIDATION_ERROR,
                "Event data does not match schema for event type '" + e.eventType() + "'",
                details);
    }

    /** Violations whose words would echo a sensitive value, with that value as {@code ***} (they reach logs). */
    private List<DataValidator.Violation> scrubbed(EventEnvelope e, List<DataValidator.Violation> violations) {
        java.util.Set<String> hidden = sensitive.values(e.eventType(), e.data());
        if (hidden.isEmpty()) {
            return violations;
        }
        return violations.stream()
                .map(v -> {
                    String error = v.error();
                    for (String h : hidden) {
                        if (!h.isEmpty()) {
                            error = error.replace(h, SensitiveFields.MASK.getString());
                        }
                    }
                    return new DataValidator.Violation(v.field(), error);
                })
                .toList();
    }

    private static SchemaVersion pick(EventEnvelope e, List<SchemaVersion> versions) {
        String wanted = e.schemaVersion();
        if (wanted == null) {
            Optional<SchemaVersion> latest =
                    versions.stream().filter(v -> !v.deprecated()).reduce((a, b) -> b);
            return latest.orElse(versions.get(versions.size() - 1));
        }
        return versions.stream()
                .filter(v -> String.valueOf(v.version()).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new InvalidFieldException(
                        "metadata.schemaVersion", "names no registered version of '" + e.eventType() + "'"));
    }

    /**
     * @return what a reader on version {@code readerVersion} of the type cannot read in data written
     *     with {@code next}; empty when it can read everything, or when that version does not exist
     */
    public List<String> breaksReader(String eventType, int readerVersion, JsonObject next) {
        return store.versions(eventType).stream()
                .filter(v -> v.version() == readerVersion)
                .findFirst()
                .map(v -> CompatibilityChecker.breaks(parse(v.schema()), next, Compatibility.FORWARD))
                .orElse(List.of());
    }

    /** Versions by type, re-read at most once a second (changes on other servers show within a second). */
    private List<SchemaVersion> cachedVersions(String eventType) {
        long now = System.nanoTime();
        Cached c = cache.get(eventType);
        if (c == null || now - c.loadedAt() > CACHE_NANOS) {
            c = new Cached(store.versions(eventType), now);
            cache.put(eventType, c);
        }
        return c.versions();
    }

    /**
     * @return whether the type has a registered schema (read at most a second ago): bounds what may label a metric
     * @since 0.19.0
     */
    public boolean registered(String eventType) {
        return !cachedVersions(eventType).isEmpty();
    }

    /** @return the versions of a type */
    public List<SchemaVersion> versions(String eventType) {
        return store.versions(eventType);
    }

    /** @return types with schemas */
    public List<String> types() {
        return store.types();
    }

    /** @return true when deprecated */
    public boolean deprecate(String actor, String eventType, int version) {
        cache.remove(eventType);
        boolean deprecated = store.deprecate(eventType, version);
        if (deprecated) {
            audit.audit(actor, "schema-deprecate", null, eventType + " v" + version);
        }
        return deprecated;
    }

    /** Sets the compatibility mode of a type. */
    public void setMode(String actor, String eventType, Compatibility mode) {
        store.setCompatibility(eventType, mode);
        audit.audit(actor, "schema-compatibility", null, eventType + ": " + mode);
    }

    /** Registers a schema from the classpath when the type has none yet (the seed's examples). */
    public void seed(String eventType, String schemaJson) {
        if (store.versions(eventType).isEmpty()) {
            register("eventbus", eventType, parse(schemaJson), false);
        }
    }

    static JsonObject parse(String s) {
        try (JsonReader r = CachedJson.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }
}
