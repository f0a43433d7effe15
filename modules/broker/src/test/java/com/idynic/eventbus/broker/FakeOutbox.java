package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.spi.OutboxEntry;
import com.idynic.eventbus.broker.spi.OutboxStore;
import com.idynic.eventbus.broker.spi.RelayOutcome;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The outbox in memory, for relay tests: a pass claims the oldest rows, and recording it removes the rows relayed
 * and the rows refused (set aside), as the JDBC store does in one transaction.
 */
public class FakeOutbox implements OutboxStore {
    /** The rows waiting, oldest first. */
    public final List<OutboxEntry> rows = new ArrayList<>();
    /** The byte bound of every pass the store was asked for. */
    public final List<Long> asked = new ArrayList<>();
    /** Event ids moved aside, as refused. */
    public final List<String> setAside = new ArrayList<>();
    /** What the store was asked, in order ({@code claim}, {@code record}); a test's sink may add its own steps. */
    public final List<String> steps = new ArrayList<>();

    /**
     * Adds a row of type {@code t}, source {@code s} and key {@code k} (one ordering lane), its payload the event's
     * JSON with empty data (the Kafka sink reads it).
     */
    public void add(long seq, String eventId) {
        String payload = EventEnvelope.of(eventId, "t", "s", JsonValue.EMPTY_JSON_OBJECT)
                .toJson()
                .toString();
        rows.add(new OutboxEntry(seq, eventId, "t", "s", "k", null, null, payload, seq, Instant.EPOCH));
    }

    @Override
    public List<OutboxEntry> claim(int max, long maxBytes) {
        asked.add(maxBytes);
        steps.add("claim");
        return new ArrayList<>(rows.subList(0, Math.min(max, rows.size())));
    }

    @Override
    public int record(List<OutboxEntry> batch, RelayOutcome outcome) {
        steps.add("record");
        Set<Long> removed = new HashSet<>();
        outcome.relayed().forEach(r -> removed.add(r.seq()));
        outcome.refused().forEach(r -> {
            removed.add(r.seq());
            setAside.add(r.eventId());
        });
        rows.removeIf(e -> removed.contains(e.seq()));
        return removed.size();
    }

    @Override
    public long backlog() {
        return rows.size();
    }

    @Override
    public long lagMillis() {
        return 0;
    }
}
