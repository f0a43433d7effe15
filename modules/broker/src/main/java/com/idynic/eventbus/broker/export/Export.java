package com.idynic.eventbus.broker.export;

import java.io.OutputStream;

/**
 * An export whose request was checked (access, filters) and whose first page was read, ready to be streamed
 * to a response: an export fails before its first byte (with the API's error) or not at all.
 *
 * @param format CSV or JSON
 * @param fileName a file name for a download, e.g. {@code dead-letters-billing.csv}
 * @param body writes the export, page by page, at most {@link TableExport#MAX_ROWS} rows
 * @since 0.9.0
 */
public record Export(TableExport.Format format, String fileName, Body body) {
    /** Writes an export to a stream, which stays open. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out);
    }

    /** Writes the export to {@code out}. */
    public void writeTo(OutputStream out) {
        body.writeTo(out);
    }
}
