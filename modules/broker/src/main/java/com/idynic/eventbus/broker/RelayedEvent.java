package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.EventEnvelope;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An event as the dispatcher reads it from the events topic: the fields fan-out needs (id, type, ordering key,
 * sequence number), taken from the record's headers and key, with the envelope parsed from the record's value only
 * when something asks for it (a subscription filter on {@code source} or {@code data}). Most records are never
 * parsed: a full parse of every record cost the dispatcher more CPU than anything else it did per event.
 *
 * @since 0.22.0
 */
public final class RelayedEvent {
    /** The sequence number of an event whose record does not carry it (the insert reads it from the event row). */
    public static final long UNKNOWN_SEQ = -1;

    private final String id;
    private final String eventType;
    private final String partitionKey;
    private final long seq;
    private final Supplier<EventEnvelope> read;
    private EventEnvelope envelope;

    private RelayedEvent(
            String id, String eventType, String partitionKey, long seq, Supplier<EventEnvelope> read, EventEnvelope e) {
        this.id = Objects.requireNonNull(id, "id");
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.partitionKey = partitionKey;
        this.seq = seq;
        this.read = read;
        this.envelope = e;
    }

    /**
     * @param id the event id ({@code ce_id})
     * @param eventType its type ({@code ce_type})
     * @param partitionKey its ordering key (the record key), or null
     * @param seq its sequence number ({@code eb-seq}), or {@link #UNKNOWN_SEQ}
     * @param json the stored envelope (the record value), parsed on the first {@link #envelope()}
     * @return the event, not parsed yet
     */
    public static RelayedEvent of(String id, String eventType, String partitionKey, long seq, String json) {
        Objects.requireNonNull(json, "json");
        return of(id, eventType, partitionKey, seq, () -> EnvelopeParser.stored(json, ""));
    }

    /**
     * @param id the event id ({@code ce_id})
     * @param eventType its type ({@code ce_type})
     * @param partitionKey its ordering key (the record key), or null
     * @param seq its sequence number ({@code eb-seq}), or {@link #UNKNOWN_SEQ}
     * @param read reads the envelope (e.g. from the record's headers and value), called on the first {@link
     *     #envelope()}
     * @return the event, not read yet
     */
    public static RelayedEvent of(
            String id, String eventType, String partitionKey, long seq, Supplier<EventEnvelope> read) {
        return new RelayedEvent(id, eventType, partitionKey, seq, Objects.requireNonNull(read, "read"), null);
    }

    /** @return an event already parsed, its sequence number unknown */
    public static RelayedEvent of(EventEnvelope e) {
        return new RelayedEvent(e.id(), e.eventType(), e.partitionKey(), UNKNOWN_SEQ, null, e);
    }

    /** @return the event id */
    public String id() {
        return id;
    }

    /** @return the event type */
    public String eventType() {
        return eventType;
    }

    /** @return the ordering key, or null */
    public String partitionKey() {
        return partitionKey;
    }

    /** @return the event's sequence number, or {@link #UNKNOWN_SEQ} */
    public long seq() {
        return seq;
    }

    /** @return whether {@link #envelope()} has been parsed (or was given) */
    public boolean parsed() {
        return envelope != null;
    }

    /**
     * @return the envelope, parsed once on the first call (without a content hash)
     * @throws Unreadable when the record is not an envelope
     */
    public EventEnvelope envelope() {
        EventEnvelope e = envelope;
        if (e == null) {
            try {
                e = read.get();
            } catch (RuntimeException bad) {
                throw new Unreadable(id, bad);
            }
            envelope = e;
        }
        return e;
    }

    /** A record whose headers name an event but whose value is not an event envelope. */
    public static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable(String id, RuntimeException cause) {
            super("the record of event " + id + " is not an event envelope: " + cause, cause);
        }
    }
}
