package com.idynic.eventbus.bench;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The run's UTC timestamp, {@code 20261130T120000Z}: the results' file name and the prefix of every id it makes. */
final class RunId {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

    private RunId() {}

    static String now() {
        return FORMAT.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** @return the id in lower case and without separators, fit for ids, subscription names and topics */
    static String slug(String runId) {
        return runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
