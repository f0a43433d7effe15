package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.ErrorCode;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Builds the seed's error JSON: {@code {"status":"error","errorCode","message","details"}}. */
final class Errors {
    private static final Map<String, Integer> STATUS = Map.ofEntries(
            Map.entry(ErrorCode.MALFORMED_JSON, 400),
            Map.entry(ErrorCode.VALIDATION_ERROR, 400),
            Map.entry(ErrorCode.SCHEMA_VALIDATION_ERROR, 400),
            Map.entry(ErrorCode.UNAUTHORIZED, 401),
            Map.entry(ErrorCode.FORBIDDEN, 403),
            Map.entry(ErrorCode.RATE_LIMITED, 429),
            Map.entry(ErrorCode.OVERLOADED, 429),
            Map.entry(ErrorCode.QUOTA_EXCEEDED, 409),
            Map.entry(ErrorCode.ALREADY_RUNNING, 409),
            Map.entry(ErrorCode.NOT_FOUND, 404),
            Map.entry(ErrorCode.METHOD_NOT_ALLOWED, 405),
            Map.entry(ErrorCode.DUPLICATE_EVENT_ID, 409),
            Map.entry(ErrorCode.IDEMPOTENCY_KEY_REUSED, 409),
            Map.entry(ErrorCode.INCOMPATIBLE_SCHEMA, 409),
            Map.entry(ErrorCode.PAYLOAD_TOO_LARGE, 413),
            Map.entry(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415),
            Map.entry(ErrorCode.STORAGE_UNAVAILABLE, 503),
            Map.entry(ErrorCode.SERVICE_UNAVAILABLE, 503),
            Map.entry(ErrorCode.INTERNAL_ERROR, 500));

    private Errors() {}

    private static jakarta.json.JsonValue value(Object v) {
        if (v instanceof Number n) {
            return CachedJson.createValue(n.longValue());
        }
        if (v instanceof Boolean b) {
            return b ? jakarta.json.JsonValue.TRUE : jakarta.json.JsonValue.FALSE;
        }
        if (v instanceof java.util.List<?> list) {
            var a = CachedJson.createArrayBuilder();
            list.forEach(x -> a.add(value(x)));
            return a.build();
        }
        if (v instanceof Map<?, ?> m) {
            JsonObjectBuilder o = CachedJson.createObjectBuilder();
            m.forEach((k, x) -> o.add(String.valueOf(k), value(x)));
            return o.build();
        }
        return CachedJson.createValue(String.valueOf(v));
    }

    static int status(String errorCode) {
        return STATUS.getOrDefault(errorCode, 400);
    }

    static String json(String errorCode, String message, Map<String, ?> details) {
        JsonObjectBuilder d = CachedJson.createObjectBuilder();
        details.forEach((k, v) -> d.add(k, value(v)));
        return CachedJson.createObjectBuilder()
                .add("status", "error")
                .add("errorCode", errorCode)
                .add("message", message)
                .add("details", d)
                .build()
                .toString();
    }

    static Response response(String errorCode, String message, Map<String, ?> details) {
        Response.ResponseBuilder r = Response.status(status(errorCode))
                .type(MediaType.APPLICATION_JSON)
                .entity(json(errorCode, message, details));
        if (details.get("retryAfterSeconds") instanceof Number n) {
            r.header("Retry-After", String.valueOf(Math.max(1, n.longValue())));
        } else if (status(errorCode) == 503) {
            r.header("Retry-After", "5");
        }
        if (status(errorCode) == 401) {
            r.header("WWW-Authenticate", "Bearer realm=\"eventbus\"");
        }
        return r.build();
    }
}
