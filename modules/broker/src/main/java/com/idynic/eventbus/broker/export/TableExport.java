package com.idynic.eventbus.broker.export;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.ErrorCode;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an export (the rows of a console list or a REST search) as it is read, page by page, so an export
 * never holds more than a page: CSV (RFC 4180, with a header row) or JSON ({@code {"columns":[...],
 * "rows":[{...}],"exported":n,"truncated":false}}). At most {@link #MAX_ROWS} rows; the rest is left out and
 * JSON says so. CSV cells are quoted where they hold a comma, quote or line break, and a cell a spreadsheet
 * would run as a formula (one starting with {@code = + - @}, tab or carriage return) is prefixed with
 * {@code '}.
 *
 * @since 0.9.0
 */
public abstract class TableExport implements AutoCloseable {
    /** The most rows an export holds. */
    public static final int MAX_ROWS = 100_000;

    /** The formats an export is written in. */
    public enum Format {
        CSV("text/csv; charset=utf-8", "csv"),
        JSON("application/json", "json");

        private final String mediaType;
        private final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }

        /** @return the response's content type */
        public String mediaType() {
            return mediaType;
        }

        /** @return the file name's extension */
        public String extension() {
            return extension;
        }

        /**
         * @param name {@code csv} or {@code json}, any case
         * @throws BusException {@code VALIDATION_ERROR} naming {@code format}
         */
        public static Format parse(String name) {
            if (name != null) {
                for (Format f : values()) {
                    if (f.extension.equals(name.trim().toLowerCase(Locale.ROOT))) {
                        return f;
                    }
                }
            }
            throw new BusException(
                    ErrorCode.VALIDATION_ERROR,
                    "Invalid request: 'format' must be 'csv' or 'json'",
                    Map.of("field", "format", "error", "must be 'csv' or 'json'"));
        }
    }

    protected final List<String> columns;
    private int rows;
    private boolean truncated;

    protected TableExport(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** @return an export in {@code format} to {@code out} (which stays open) */
    public static TableExport open(Format format, List<String> columns, OutputStream out) {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        return format == Format.CSV ? new CsvExport(columns, w) : new JsonExport(columns, w);
    }

    /**
     * Writes one row: a value per column, each a {@link String}, a {@link Number}, a {@link Boolean}, a {@link
     * JsonValue} (CSV writes its JSON text) or null (empty).
     *
     * @return false when the export is full ({@link #MAX_ROWS}): this row was left out and the caller stops
     */
    public boolean row(List<?> values) {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException("a row has " + columns.size() + " values, not " + values.size());
        }
        if (rows >= MAX_ROWS) {
            truncated = true;
            return false;
        }
        rows++;
        write(values);
        return true;
    }

    /** @return rows written so far */
    public int rows() {
        return rows;
    }

    /** @return whether rows were left out */
    public boolean truncated() {
        return truncated;
    }

    protected abstract void write(List<?> values);

    /** Ends the export (flushes it; the stream stays open). */
    @Override
    public abstract void close();

    /**
     * @return the cell as CSV writes it: quoted when it holds a comma, a quote or a line break (quotes doubled),
     *     prefixed with {@code '} when a spreadsheet would read it as a formula
     */
    public static String csvCell(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        char first = s.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof JsonValue j) {
            return j.getValueType() == JsonValue.ValueType.STRING
                    ? ((jakarta.json.JsonString) j).getString()
                    : j.toString();
        }
        return v.toString();
    }

    private static final class CsvExport extends TableExport {
        private final Writer w;

        CsvExport(List<String> columns, Writer w) {
            super(columns);
            this.w = w;
            line(columns);
        }

        @Override
        protected void write(List<?> values) {
            line(values);
        }

        private void line(List<?> values) {
            try {
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        w.write(',');
                    }
                    w.write(csvCell(text(values.get(i))));
                }
                w.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class JsonExport extends TableExport {
        private final JsonGenerator g;

        JsonExport(List<String> columns, Writer w) {
            super(columns);
            this.g = CachedJson.createGenerator(w);
            g.writeStartObject().writeStartArray("columns");
            columns.forEach(g::write);
            g.writeEnd().writeStartArray("rows");
        }

        @Override
        protected void write(List<?> values) {
            g.writeStartObject();
            for (int i = 0; i < values.size(); i++) {
                String k = columns.get(i);
                Object v = values.get(i);
                if (v == null) {
                    g.writeNull(k);
                } else if (v instanceof JsonValue j) {
                    g.write(k, j);
                } else if (v instanceof Boolean b) {
                    g.write(k, b);
                } else if (v instanceof Long || v instanceof Integer) {
                    g.write(k, ((Number) v).longValue());
                } else if (v instanceof Number n) {
                    g.write(k, n.doubleValue());
                } else {
                    g.write(k, v.toString());
                }
            }
            g.writeEnd();
        }

        @Override
        public void close() {
            g.writeEnd()
                    .write("exported", rows())
                    .write("truncated", truncated())
                    .writeEnd();
            g.flush();
        }
    }
}
