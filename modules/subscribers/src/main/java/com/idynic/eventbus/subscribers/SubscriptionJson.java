package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.RetryPolicy;
import com.idynic.eventbus.cloudevents.WebhookFormat;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subscription's JSON form (REST API, database spec column, Redis cache). Reading validates and
 * names the first invalid field; defaults fill what is missing.
 *
 * @since 0.2.0
 */
public final class SubscriptionJson {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SubscriptionJson() {}

    /**
     * @param id the subscription id (from the URL)
     * @param o the JSON body
     * @return the subscription, with a generated secret for a webhook that has none
     * @throws InvalidFieldException naming the first invalid field
     */
    public static Subscription read(String id, JsonObject o) {
        List<String> types = strings(o, "eventTypes");
        JsonObject t = object(o, "target");
        String type = string(t, "target.type", "type", "pull");
        String url = string(t, "target.url", "url", null);
        String secret = string(t, "target.secret", "secret", null);
        Duration timeout = Duration.ofMillis(number(t, "target.timeoutMillis", "timeoutMillis", 15_000, 100, 120_000));
        WebhookFormat format = WebhookFormat.parse(string(t, "target.format", "format", null));
        if (format != WebhookFormat.SEED && !"webhook".equals(type)) {
            throw new InvalidFieldException("target.format", "applies to webhook targets only");
        }
        if ("webhook".equals(type)) {
            if (url == null) {
                throw new InvalidFieldException("target.url", "is required for a webhook");
            }
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("target.url", "is not a valid URL");
            }
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new InvalidFieldException("target.url", "must be an absolute http or https URL");
            }
            if (secret == null) {
                secret = newSecret();
            } else if (!secret.startsWith("whsec_") || !isBase64(secret.substring(6))) {
                throw new InvalidFieldException("target.secret", "must be 'whsec_' followed by base64");
            }
        }
        JsonObject f = object(o, "filter");
        Map<String, JsonValue> data = new LinkedHashMap<>();
        JsonObject fd = object(f, "filter.data", "data");
        for (String pointer : fd.keySet()) {
            if (!pointer.startsWith("/")) {
                throw new InvalidFieldException("filter.data", "keys must be JSON pointers such as /customer/tier");
            }
            data.put(pointer, fd.get(pointer));
        }
        Filter filter = new Filter(string(f, "filter.source", "source", null), data);
        JsonObject r = object(o, "retryPolicy");
        RetryPolicy d = RetryPolicy.DEFAULT;
        Set<Integer> statuses = new LinkedHashSet<>();
        if (r.containsKey("nonRetryableStatuses")) {
            for (JsonValue v : array(r, "retryPolicy.nonRetryableStatuses", "nonRetryableStatuses")) {
                if (!(v instanceof JsonNumber n) || n.intValue() < 100 || n.intValue() > 599) {
                    throw new InvalidFieldException("retryPolicy.nonRetryableStatuses", "must list HTTP status codes");
                }
                statuses.add(n.intValue());
            }
        } else {
            statuses.addAll(d.nonRetryableStatuses());
        }
        RetryPolicy policy = new RetryPolicy(
                Duration.ofMillis(number(
                        r,
                        "retryPolicy.initialDelayMillis",
                        "initialDelayMillis",
                        d.initialDelay().toMillis(),
                        0,
                        86_400_000)),
                decimal(r, "retryPolicy.multiplier", "multiplier", d.multiplier(), 1, 100),
                Duration.ofMillis(number(
                        r,
                        "retryPolicy.maxDelayMillis",
                        "maxDelayMillis",
                        d.maxDelay().toMillis(),
                        0,
                        86_400_000L * 7)),
                (int) number(r, "retryPolicy.maxAttempts", "maxAttempts", d.maxAttempts(), 1, 1000),
                Duration.ofSeconds(number(
                        r,
                        "retryPolicy.maxAgeSeconds",
                        "maxAgeSeconds",
                        d.maxAge().toSeconds(),
                        1,
                        86_400L * 30)),
                statuses);
        return new Subscription(
                id,
                string(o, "owner", "owner", id),
                types,
                filter,
                new Target(type, url, secret, timeout, format),
                string(o, "ordering", "ordering", "ordered"),
                policy,
                string(o, "startPosition", "startPosition", "latest"),
                (int) number(o, "maxConcurrency", "maxConcurrency", 16, 1, 256),
                decimal(o, "maxRatePerSecond", "maxRatePerSecond", 0, 0, 100_000),
                string(o, "state", "state", SubscriptionState.ACTIVE.wire()),
                string(o, "disabledReason", "disabledReason", null),
                schemaVersions(object(o, "schemaVersions")));
    }

    /**
     * @param s the subscription
     * @param withSecret include the webhook secret: only in the response that sets it (storage keeps it apart,
     *     encrypted)
     */
    public static JsonObject write(Subscription s, boolean withSecret) {
        JsonArrayBuilder types = CachedJson.createArrayBuilder();
        s.eventTypes().forEach(types::add);
        JsonObjectBuilder target =
                CachedJson.createObjectBuilder().add("type", s.target().type());
        if (s.target().url() != null) {
            target.add("url", s.target().url());
            target.add("timeoutMillis", s.target().timeout().toMillis());
            if (s.target().format() != WebhookFormat.SEED) {
                target.add("format", s.target().format().formatName());
            }
        }
        if (withSecret && s.target().secret() != null) {
            target.add("secret", s.target().secret());
        }
        JsonObjectBuilder filter = CachedJson.createObjectBuilder();
        if (s.filter().source() != null) {
            filter.add("source", s.filter().source());
        }
        JsonObjectBuilder data = CachedJson.createObjectBuilder();
        s.filter().data().forEach(data::add);
        filter.add("data", data);
        RetryPolicy p = s.retryPolicy();
        JsonArrayBuilder statuses = CachedJson.createArrayBuilder();
        p.nonRetryableStatuses().stream().sorted().forEach(statuses::add);
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("id", s.id())
                .add("owner", s.owner())
                .add("eventTypes", types)
                .add("filter", filter)
                .add("target", target)
                .add("ordering", s.ordering())
                .add(
                        "retryPolicy",
                        CachedJson.createObjectBuilder()
                                .add("initialDelayMillis", p.initialDelay().toMillis())
                                .add("multiplier", p.multiplier())
                                .add("maxDelayMillis", p.maxDelay().toMillis())
                                .add("maxAttempts", p.maxAttempts())
                                .add("maxAgeSeconds", p.maxAge().toSeconds())
                                .add("nonRetryableStatuses", statuses))
                .add("startPosition", s.startPosition())
                .add("maxConcurrency", s.maxConcurrency())
                .add("maxRatePerSecond", s.maxRatePerSecond())
                .add("state", s.state());
        if (s.disabledReason() != null) {
            b.add("disabledReason", s.disabledReason());
        }
        if (!s.schemaVersions().isEmpty()) {
            JsonObjectBuilder versions = CachedJson.createObjectBuilder();
            s.schemaVersions().forEach(versions::add);
            b.add("schemaVersions", versions);
        }
        return b.build();
    }

    private static Map<String, Integer> schemaVersions(JsonObject o) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String type : o.keySet()) {
            if (!(o.get(type) instanceof JsonNumber n) || !n.isIntegral() || n.intValue() < 1) {
                throw new InvalidFieldException("schemaVersions." + type, "must be a schema version number");
            }
            out.put(type, n.intValue());
        }
        return out;
    }

    /** @return a new random signing secret, {@code whsec_} + 32 random bytes in base64 */
    public static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "whsec_" + Base64.getEncoder().encodeToString(b);
    }

    private static boolean isBase64(String s) {
        try {
            return Base64.getDecoder().decode(s).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonObject object(JsonObject o, String field) {
        return object(o, field, field);
    }

    private static JsonObject object(JsonObject o, String path, String field) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidFieldException(path, "must be a JSON object");
        }
        return v.asJsonObject();
    }

    private static JsonArray array(JsonObject o, String path, String field) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidFieldException(path, "must be an array");
        }
        return v.asJsonArray();
    }

    private static List<String> strings(JsonObject o, String field) {
        JsonArray a = array(o, field, field);
        if (a.isEmpty() || a.size() > 100) {
            throw new InvalidFieldException(field, "must hold 1 to 100 entries");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).getValueType() != JsonValue.ValueType.STRING) {
                throw new InvalidFieldException(field + "[" + i + "]", "must be a string");
            }
            out.add(a.getString(i));
        }
        return out;
    }

    private static String string(JsonObject o, String path, String field, String dflt) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return dflt;
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidFieldException(path, "must be a string");
        }
        String s = o.getString(field);
        if (s.length() > 2000) {
            throw new InvalidFieldException(path, "must be at most 2000 characters");
        }
        return s;
    }

    private static long number(JsonObject o, String path, String field, long dflt, long min, long max) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return dflt;
        }
        if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
            throw new InvalidFieldException(path, "must be an integer");
        }
        long x = n.longValue();
        if (x < min || x > max) {
            throw new InvalidFieldException(path, "must be between " + min + " and " + max);
        }
        return x;
    }

    private static double decimal(JsonObject o, String path, String field, double dflt, double min, double max) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return dflt;
        }
        if (!(v instanceof JsonNumber n)) {
            throw new InvalidFieldException(path, "must be a number");
        }
        double x = n.doubleValue();
        if (x < min || x > max) {
            throw new InvalidFieldException(path, "must be between " + min + " and " + max);
        }
        return x;
    }
}
