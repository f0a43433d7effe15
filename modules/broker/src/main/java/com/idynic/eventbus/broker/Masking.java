package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.spi.SensitiveData;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.json.JsonObject;

/**
 * Who reads sensitive values in clear: the one rule behind every read that shows an event's payload to a person or
 * an operator's tool (console pages, operator REST reads, exports, dead-letter inspection). A viewer with the role
 * {@code sensitive} (an admin has every role) or the event's publisher (it may publish the type with that source:
 * the data's owner) reads clear values; everyone else, operators included, reads {@code "***"} in place of every
 * field the type's schema marks {@code "x-sensitive": true}. Deliveries to subscribers (webhooks, pull, CDI) never
 * pass through here: the subscribers are the data's consumers.
 *
 * @since 0.19.0
 */
public final class Masking {
    /** The value shown in place of a sensitive one. */
    public static final String MASK = "***";

    /** Masks nothing (types without schemas, tests). */
    public static final Masking NONE = new Masking(SensitiveData.NONE);

    private final SensitiveData sensitive;

    public Masking(SensitiveData sensitive) {
        this.sensitive = sensitive;
    }

    /** @return whether {@code viewer} reads the event's sensitive values in clear */
    public static boolean clearFor(ServiceAccount viewer, EventEnvelope e) {
        return clearFor(viewer, e.eventType(), e.source());
    }

    /** @return whether {@code viewer} reads the sensitive values of an event of this type and source in clear */
    public static boolean clearFor(ServiceAccount viewer, String eventType, String source) {
        return viewer != null
                && (viewer.has(Role.SENSITIVE) || (viewer.mayPublish(eventType) && viewer.mayUseSource(source)));
    }

    /**
     * @param stored an event in its stored JSON form ({@code eventType}, {@code source}, {@code data}, ...)
     * @return it as {@code viewer} may read it: {@code data} masked unless {@link #clearFor} (the same object when
     *     nothing is masked)
     * @since 0.19.0
     */
    public JsonObject view(ServiceAccount viewer, JsonObject stored) {
        String type = stored.getString("eventType", null);
        if (type == null
                || !(stored.get("data") instanceof JsonObject data)
                || clearFor(viewer, type, stored.getString("source", ""))) {
            return stored;
        }
        JsonObject masked = sensitive.mask(type, data);
        return masked == data
                ? stored
                : CachedJson.createObjectBuilder(stored).add("data", masked).build();
    }

    /**
     * @param viewer who reads, or null for a reader whose role is not known (always masked)
     * @return the envelope as {@code viewer} may read it
     */
    public EventEnvelope view(ServiceAccount viewer, EventEnvelope e) {
        return clearFor(viewer, e) ? e : masked(e);
    }

    /** @return the stored event as {@code viewer} may read it */
    public StoredEvent view(ServiceAccount viewer, StoredEvent e) {
        EventEnvelope v = view(viewer, e.envelope());
        return v == e.envelope() ? e : new StoredEvent(v, e.receipt(), e.relayed(), e.position());
    }

    /** @return the envelope with its sensitive values masked (the same envelope when it has none) */
    public EventEnvelope masked(EventEnvelope e) {
        JsonObject data = sensitive.mask(e.eventType(), e.data());
        return data == e.data()
                ? e
                : new EventEnvelope(
                        e.id(), e.eventType(), e.source(), e.timestamp(), data, e.metadata(), e.contentHash());
    }
}
