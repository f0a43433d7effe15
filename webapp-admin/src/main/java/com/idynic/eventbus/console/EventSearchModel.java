package com.idynic.eventbus.console;

import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.EventQueries;
import jakarta.enterprise.inject.spi.CDI;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

/**
 * Pages of {@code EventQueries.search} (PostgreSQL's indexes, in publish order). The search pages by a
 * cursor (the last row's sequence number), so this model remembers the cursor at the start of each page
 * it has shown; the row count grows by a page while pages are full, so the paginator offers the next one.
 */
public class EventSearchModel extends LazyDataModel<EventSearchModel.Row> {
    private static final long serialVersionUID = 1L;

    /** One event found, with its delivery state per subscription summed up. */
    public record Row(
            long seq,
            String id,
            String type,
            String source,
            String correlationId,
            String acceptedAt,
            boolean relayed,
            String deliveries)
            implements Serializable {
        /** @return the row of one event found (by the search or the live tail) */
        static Row of(EventQueries.Hit h) {
            var e = h.event();
            return new Row(
                    h.seq(),
                    e.envelope().id(),
                    e.envelope().eventType(),
                    e.envelope().source(),
                    e.envelope().correlationId(),
                    Timestamps.format(e.receipt().acceptedAt()),
                    e.relayed(),
                    EventQueries.deliveriesSummary(h.deliveries()));
        }
    }

    private String type;
    private String correlationId;
    private String traceId;
    private String source;
    private String from;
    private String to;
    private final Map<Integer, Long> cursors = new HashMap<>();
    private int known;

    @Override
    public int count(Map<String, FilterMeta> filterBy) {
        return known;
    }

    @Override
    public List<Row> load(int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
        int page = first / pageSize;
        Long after = cursors.get(page);
        if (after == null) {
            return List.of();
        }
        var bus = CDI.current().select(BusServices.class).get();
        var viewer = CDI.current().select(Operator.class).get().account();
        EventQueries.Page found = Messages.attempt(() -> bus.events()
                .search(
                        viewer,
                        blank(type),
                        blank(correlationId),
                        blank(traceId),
                        blank(source),
                        blank(from),
                        blank(to),
                        after,
                        pageSize));
        if (found == null) {
            return List.of();
        }
        List<Row> rows = found.events().stream().map(Row::of).toList();
        if (found.next().isPresent()) {
            cursors.put(page + 1, found.next().getAsLong());
            known = Math.max(known, (page + 2) * pageSize);
        } else {
            known = page * pageSize + rows.size();
        }
        setRowCount(known);
        return rows;
    }

    @Override
    public String getRowKey(Row row) {
        return row.id();
    }

    /**
     * Exports what the search finds with the criteria as they are now (the service method behind
     * {@code GET /v1/events/export}), streamed as a download; null after showing a refusal.
     *
     * @param format {@code csv} or {@code json}
     */
    public org.primefaces.model.StreamedContent export(String format) {
        var bus = CDI.current().select(BusServices.class).get();
        com.idynic.eventbus.broker.export.Export x = Messages.attempt(() -> bus.events()
                .export(
                        CDI.current().select(Operator.class).get().account(),
                        blank(type),
                        blank(correlationId),
                        blank(traceId),
                        blank(source),
                        blank(from),
                        blank(to),
                        com.idynic.eventbus.broker.export.TableExport.Format.parse(format)));
        return x == null ? null : Downloads.of(x);
    }

    /** Starts a new search from the first page with the criteria as they are now. */
    public void reset() {
        cursors.clear();
        cursors.put(0, 0L);
        known = 1;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getCorrelationId() {
        return correlationId;
    }

    public void setCorrelationId(String correlationId) {
        this.correlationId = correlationId;
    }

    public String getTraceId() {
        return traceId;
    }

    public void setTraceId(String traceId) {
        this.traceId = traceId;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }
}
