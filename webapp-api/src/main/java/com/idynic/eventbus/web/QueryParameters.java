package com.idynic.eventbus.web;

import com.idynic.eventbus.api.InvalidFieldException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A query parameter the matched method does not declare is refused ({@code 400 VALIDATION_ERROR} naming it)
 * rather than ignored, so a misspelt filter ({@code ?tpye=order.placed}) cannot silently widen a search.
 * The allowed set is each method's own {@code @QueryParam}s; methods that declare none are left alone.
 * Values are checked by the Java type of the parameter they fill, the same way for every endpoint: a boolean
 * is {@code true} or {@code false}, a number is a whole number that fits; anything else is refused naming the
 * parameter, never read as {@code false} (a {@code ?dryRun=yes} that wrote for real) nor left to the
 * container's conversion (which answers {@code 404}).
 * Runs after the access checks, so callers without access learn nothing about parameters.
 */
@Provider
@Priority(Priorities.USER)
public class QueryParameters implements ContainerRequestFilter {
    private static final Map<Method, Map<String, Class<?>>> DECLARED = new ConcurrentHashMap<>();

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext ctx) {
        Method m = resource.getResourceMethod();
        if (m == null) {
            return;
        }
        Map<String, Class<?>> declared = DECLARED.computeIfAbsent(m, QueryParameters::declared);
        if (declared.isEmpty()) {
            return;
        }
        for (Map.Entry<String, List<String>> p :
                ctx.getUriInfo().getQueryParameters().entrySet()) {
            String name = p.getKey();
            Class<?> type = declared.get(name);
            if (type == null) {
                refuse(
                        ctx,
                        name,
                        "is not a query parameter of this endpoint (allowed: " + String.join(", ", declared.keySet())
                                + ")");
                return;
            }
            for (String value : p.getValue()) {
                String error = typeError(type, value);
                if (error != null) {
                    refuse(ctx, name, error);
                    return;
                }
            }
        }
    }

    private static void refuse(ContainerRequestContext ctx, String name, String error) {
        InvalidFieldException e = new InvalidFieldException(name, error);
        ctx.abortWith(Errors.response(e.errorCode(), e.getMessage(), e.details()));
    }

    /** @return why {@code value} cannot fill a parameter of {@code type}, or null when it can */
    static String typeError(Class<?> type, String value) {
        if (type == boolean.class || type == Boolean.class) {
            return "true".equals(value) || "false".equals(value)
                    ? null
                    : "must be true or false (got '" + shown(value) + "')";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            try {
                if (type == int.class || type == Integer.class) {
                    Integer.parseInt(value);
                } else {
                    Long.parseLong(value);
                }
                return null;
            } catch (NumberFormatException e) {
                return "must be a whole number"
                        + (type == int.class || type == Integer.class ? " up to 2147483647" : "") + " (got '"
                        + shown(value) + "')";
            }
        }
        return null;
    }

    private static String shown(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    /** @return the method's {@code @QueryParam} names with the Java types they fill, in declaration order */
    static Map<String, Class<?>> declared(Method m) {
        Map<String, Class<?>> names = new LinkedHashMap<>();
        Annotation[][] annotations = m.getParameterAnnotations();
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < annotations.length; i++) {
            for (Annotation a : annotations[i]) {
                if (a instanceof QueryParam q) {
                    names.put(q.value(), types[i]);
                }
            }
        }
        return Collections.unmodifiableMap(names);
    }
}
