package com.idynic.eventbus.cloudevents;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.InvalidFieldException;
import io.cloudevents.rw.CloudEventRWException;
import java.util.regex.Pattern;

/** The SDK's refusals of an incoming CloudEvent, as the seed's validation errors. */
final class Refusals {
    private Refusals() {}

    /**
     * @param prefix {@code ce-} in binary mode, else empty
     * @param name the attribute being set, or null when the SDK read them all (binary mode)
     * @return the SDK's refusal as the seed's validation error, naming the attribute and never echoing the value
     */
    static BusException refused(String prefix, String name, RuntimeException e) {
        if (!(e instanceof CloudEventRWException rw)) {
            return new InvalidFieldException(
                    name != null ? prefix + name : prefix.isEmpty() ? "specversion" : "ce-*",
                    "is not a valid CloudEvents 1.0 attribute");
        }
        String attribute = name != null ? name : quoted(rw.getMessage());
        String field = prefix + (attribute != null ? attribute : "*");
        return switch (rw.getKind()) {
            case INVALID_SPEC_VERSION -> new InvalidFieldException(prefix + "specversion", "must be \"1.0\"");
            case INVALID_ATTRIBUTE_NAME, INVALID_EXTENSION_NAME -> new InvalidFieldException(
                    name != null ? field : prefix + "*",
                    "is not a valid extension name (lower-case letters and digits, at most 20)");
            case INVALID_ATTRIBUTE_TYPE -> new InvalidFieldException(field, "has the wrong type for this attribute");
            case INVALID_ATTRIBUTE_VALUE -> new InvalidFieldException(
                    field,
                    "time".equals(attribute)
                            ? "must be an RFC 3339 date-time, e.g. 2023-05-20T13:45:30Z"
                            : "is not a valid value for this attribute");
            default -> new InvalidFieldException(field, "is not a valid CloudEvents 1.0 attribute");
        };
    }

    private static String quoted(String message) {
        var m = Pattern.compile("\"([a-z0-9]+)\"").matcher(message == null ? "" : message);
        return m.find() ? m.group(1) : null;
    }
}
