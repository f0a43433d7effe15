package com.idynic.eventbus.examples.profile;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/** A refusal from the bus's client (bad order data, a taken id, the store down) answers as the bus would. */
@Provider
public class BusRefusals implements ExceptionMapper<BusException> {
    private static final Map<String, Integer> STATUS = Map.of(
            ErrorCode.VALIDATION_ERROR, 400,
            ErrorCode.SCHEMA_VALIDATION_ERROR, 400,
            ErrorCode.DUPLICATE_EVENT_ID, 409,
            ErrorCode.STORAGE_UNAVAILABLE, 503,
            ErrorCode.SERVICE_UNAVAILABLE, 503);

    @Override
    public Response toResponse(BusException e) {
        String body = Json.createObjectBuilder()
                .add("status", "error")
                .add("errorCode", e.errorCode())
                .add("message", e.getMessage())
                .add("details", value(e.details()))
                .build()
                .toString();
        return Response.status(STATUS.getOrDefault(e.errorCode(), 500))
                .type(MediaType.APPLICATION_JSON)
                .entity(body)
                .build();
    }

    private static JsonValue value(Object v) {
        if (v instanceof Map<?, ?> m) {
            JsonObjectBuilder o = Json.createObjectBuilder();
            m.forEach((k, x) -> o.add(String.valueOf(k), value(x)));
            return o.build();
        }
        if (v instanceof List<?> l) {
            JsonArrayBuilder a = Json.createArrayBuilder();
            l.forEach(x -> a.add(value(x)));
            return a.build();
        }
        if (v instanceof Integer || v instanceof Long) {
            return Json.createValue(((Number) v).longValue());
        }
        if (v instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        return Json.createValue(String.valueOf(v));
    }
}
