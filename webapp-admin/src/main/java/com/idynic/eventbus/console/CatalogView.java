package com.idynic.eventbus.console;

import com.idynic.eventbus.admin.CatalogSample;
import com.idynic.eventbus.admin.EventCatalog;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.schema.SchemaVersion;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The event catalog ({@link EventCatalog}, as {@code GET /v1/catalog}): every type with its schema versions,
 * compatibility, publishers and subscribers; the type named by {@code ?type=} in detail, with its latest event.
 */
@Named
@RequestScoped
public class CatalogView {
    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    private String type;
    private List<EventCatalog.Entry> entries;
    private Optional<CatalogSample> sample;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type == null || type.isBlank() ? null : type.strip();
    }

    /** @return every event type */
    public List<EventCatalog.Entry> getEntries() {
        if (entries == null) {
            entries = Messages.attempt(() -> bus.catalog().entries());
            if (entries == null) {
                entries = List.of();
            }
        }
        return entries;
    }

    /** @return the type in detail, or null */
    public EventCatalog.Entry getSelected() {
        return type == null
                ? null
                : getEntries().stream()
                        .filter(e -> e.eventType().equals(type))
                        .findFirst()
                        .orElse(null);
    }

    /** Shows why a named type has no detail (not an event type, or unknown). */
    public void load() {
        if (type != null && getSelected() == null) {
            Messages.attempt(() -> bus.catalog().entry(type));
        }
    }

    /** @return the selected type's latest stored event, or null */
    public CatalogSample getSample() {
        if (sample == null) {
            sample = getSelected() == null
                    ? Optional.empty()
                    : Optional.ofNullable(Messages.attempt(() -> bus.catalog().sample(operator.account(), type)))
                            .flatMap(s -> s);
        }
        return sample.orElse(null);
    }

    /** @return the sample, indented */
    public String sampleJson() {
        CatalogSample s = getSample();
        return s == null
                ? ""
                : Json.pretty(
                        CachedJson.createReader(new StringReader(s.json())).readObject());
    }

    /** @return e.g. {@code v1, v2 (deprecated), v3} */
    public String versions(EventCatalog.Entry e) {
        return e.versions().stream()
                .map(v -> "v" + v.version() + (v.deprecated() ? " (deprecated)" : ""))
                .collect(Collectors.joining(", "));
    }

    /** @return a schema version, indented */
    public String schemaJson(SchemaVersion v) {
        return Json.pretty(CachedJson.createReader(new StringReader(v.schema())).readObject());
    }

    /** @return a time as ISO-8601 (UTC, milliseconds) */
    public String time(java.time.Instant t) {
        return t == null ? "" : Timestamps.format(t);
    }
}
