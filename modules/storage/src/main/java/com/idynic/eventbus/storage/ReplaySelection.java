package com.idynic.eventbus.storage;

import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.subscribers.Filter;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a replay selects, as a condition on {@code eb_event e}: the sequence range, the event-type selectors
 * as {@link EventTypes} reads them, and the filter's source and data conditions.
 */
final class ReplaySelection {
    private ReplaySelection() {}

    /** @return the condition on {@code eb_event e} that selects what a replay queues; adds its parameters */
    static String where(
            long afterSeq,
            long upToSeq,
            List<String> selectors,
            List<String> narrowedTo,
            Filter filter,
            List<Object> params) {
        StringBuilder where = new StringBuilder("e.seq > ? and e.seq <= ?");
        params.add(afterSeq);
        params.add(upToSeq);
        selecting(selectors, where, params);
        if (!narrowedTo.isEmpty()) {
            selecting(narrowedTo, where, params);
        }
        if (filter.source() != null) {
            where.append(" and e.source = ?");
            params.add(filter.source());
        }
        for (Map.Entry<String, JsonValue> condition : filter.data().entrySet()) {
            String[] path = dataPath(condition.getKey());
            if (path == null) {
                where.append(" and false");
            } else {
                where.append(" and (e.payload::json #> ?)::jsonb = ?::jsonb");
                params.add(path);
                params.add(condition.getValue().toString());
            }
        }
        return where.toString();
    }

    /** Binds the parameters in order, a {@code String[]} as a {@code text[]}. */
    static void bind(Connection c, PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) instanceof String[] texts) {
                ps.setArray(i + 1, c.createArrayOf("text", texts));
            } else {
                ps.setObject(i + 1, params.get(i));
            }
        }
    }

    /** Adds "one of the selectors selects the type": {@code *} all, {@code prefix.*} a prefix, else one type. */
    private static void selecting(List<String> selectors, StringBuilder where, List<Object> params) {
        if (selectors.contains(EventTypes.ALL)) {
            return;
        }
        List<String> types = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String s : selectors) {
            String prefix = EventTypes.prefixOf(s);
            if (prefix != null) {
                prefixes.add(prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            } else {
                types.add(s);
            }
        }
        if (types.isEmpty() && prefixes.isEmpty()) {
            where.append(" and false");
        } else if (prefixes.isEmpty()) {
            where.append(" and e.event_type = any(?)");
            params.add(types.toArray(String[]::new));
        } else if (types.isEmpty()) {
            where.append(" and e.event_type like any(?)");
            params.add(prefixes.toArray(String[]::new));
        } else {
            where.append(" and (e.event_type = any(?) or e.event_type like any(?))");
            params.add(types.toArray(String[]::new));
            params.add(prefixes.toArray(String[]::new));
        }
    }

    /** @return the path of a JSON pointer into the stored envelope's {@code data}, or null for no pointer */
    private static String[] dataPath(String pointer) {
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            return null;
        }
        String[] tokens =
                pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/", -1);
        String[] path = new String[tokens.length + 1];
        path[0] = "data";
        for (int i = 0; i < tokens.length; i++) {
            path[i + 1] = tokens[i].replace("~1", "/").replace("~0", "~");
        }
        return path;
    }
}
