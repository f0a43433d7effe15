package com.idynic.eventbus.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's envelope with about 300 bytes of {@code data} (valid for the seed's {@code user.created} schema
 * and for the schema the benchmark registers for its own types), and unique ids per run. Every anchor sends
 * the same envelope bytes, so all systems move the same payload.
 */
final class Payloads {
    /** Size of the {@code data} object in bytes. */
    static final int DATA_BYTES = 300;

    /** The JSON Schema registered for the benchmark's event types (the seed's user.created plus a note). */
    static final String SCHEMA = "{\"schema\":{\"type\":\"object\",\"required\":[\"userId\",\"email\"],"
            + "\"properties\":{\"userId\":{\"type\":\"string\",\"minLength\":1},"
            + "\"email\":{\"type\":\"string\",\"format\":\"email\"},\"name\":{\"type\":\"string\"},"
            + "\"note\":{\"type\":\"string\"}}}}";

    private static final String PAD = "x".repeat(DATA_BYTES - data(0, "").length());

    private final String prefix;
    private final AtomicLong seq = new AtomicLong();

    /** @param runSlug the run id in lower case; every event id starts with it */
    Payloads(String runSlug) {
        this.prefix = runSlug;
    }

    /** @return a new id, unique in this run: {@code <run>-<tag>-<n>} */
    String nextId(String tag) {
        return prefix + "-" + tag + "-" + seq.incrementAndGet();
    }

    /** @return the envelope of a new event of this type, keyed by {@code n % keys} */
    String envelope(String type, String id, long n) {
        return envelope(type, id, n, Instant.now());
    }

    String envelope(String type, String id, long n, Instant timestamp) {
        return "{\"eventType\":\"" + type + "\",\"source\":\"bench\",\"id\":\"" + id + "\",\"timestamp\":\""
                + timestamp + "\",\"data\":" + data(n, PAD) + ",\"metadata\":{\"partitionKey\":\"k" + (n % Plan.KEYS)
                + "\",\"correlationId\":\"" + id + "\"}}";
    }

    /** @return a batch: a JSON array of {@code size} envelopes of this type */
    String batch(String type, String tag, int size) {
        StringBuilder sb = new StringBuilder(size * 600).append('[');
        for (int i = 0; i < size; i++) {
            long n = seq.incrementAndGet();
            if (i > 0) {
                sb.append(',');
            }
            sb.append(envelope(type, prefix + "-" + tag + "-" + n, n));
        }
        return sb.append(']').toString();
    }

    /** @return the bytes an anchor sends: an envelope like the bus's, with a new id */
    byte[] anchorMessage(String tag) {
        long n = seq.incrementAndGet();
        return envelope("bench.anchor", prefix + "-" + tag + "-" + n, n).getBytes(StandardCharsets.UTF_8);
    }

    /** An envelope the bus refuses with 400 (no id): the authenticated ceiling. */
    static String invalid() {
        return "{\"eventType\":\"bench.invalid\",\"source\":\"bench\",\"data\":" + data(0, PAD) + "}";
    }

    /** The {@code data} of the SDK scenario's events: the same fields and bytes as {@link #envelope}'s data. */
    record UserData(String userId, String email, String name, String note) {}

    /** @return event {@code n}'s data as a record, for publishers that hand the SDK an object */
    static UserData userData(long n) {
        String num = String.format("%010d", n % 10_000_000_000L);
        return new UserData("usr-" + num, "bench-" + num + "@example.com", "Bench User", PAD);
    }

    static String key(long n) {
        return "k" + (n % Plan.KEYS);
    }

    private static String data(long n, String pad) {
        String num = String.format("%010d", n % 10_000_000_000L);
        return "{\"userId\":\"usr-" + num + "\",\"email\":\"bench-" + num + "@example.com\",\"name\":\"Bench User\","
                + "\"note\":\"" + pad + "\"}";
    }
}
