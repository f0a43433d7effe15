package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.EventEnvelope;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import java.util.Map;

/**
 * An attribute filter: the event's {@code source} must equal {@code source} (when set) and each JSON
 * pointer into {@code data} must hold the given value, e.g. {@code {"/customer/tier": "gold"}}.
 *
 * @param source required source, or null for any
 * @param data JSON pointer to required value; empty for no condition
 * @since 0.2.0
 */
public record Filter(String source, Map<String, JsonValue> data) {
    /** Matches everything. */
    public static final Filter NONE = new Filter(null, Map.of());

    public Filter {
        data = Map.copyOf(data);
    }

    /**
     * @return whether every event passes (no condition), so matching needs no more of an event than its type
     * @since 0.22.0
     */
    public boolean passesAll() {
        return source == null && data.isEmpty();
    }

    /** @return whether the event passes */
    public boolean matches(EventEnvelope e) {
        if (source != null && !source.equals(e.source())) {
            return false;
        }
        for (Map.Entry<String, JsonValue> c : data.entrySet()) {
            try {
                if (!CachedJson.createPointer(c.getKey()).getValue(e.data()).equals(c.getValue())) {
                    return false;
                }
            } catch (JsonException missing) {
                return false;
            }
        }
        return true;
    }
}
