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
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A query parameter the matched method does not declare is refused ({@code 400 VALIDATION_ERROR} naming it)
 * rather than ignored, so a misspelt filter ({@code ?tpye=order.placed}) cannot silently widen a search.
 * The allowed set is each method's own {@code @QueryParam}s; methods that declare none are left alone.
 * Runs after the access checks, so callers without access learn nothing about parameters.
 */
@Provider
@Priority(Priorities.USER)
public class QueryParameters implements ContainerRequestFilter {
    private static final Map<Method, Set<String>> DECLARED = new ConcurrentHashMap<>();

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext ctx) {
        Method m = resource.getResourceMethod();
        if (m == null) {
            return;
        }
        Set<String> allowed = DECLARED.computeIfAbsent(m, QueryParameters::declared);
        if (allowed.isEmpty()) {
            return;
        }
        for (String name : ctx.getUriInfo().getQueryParameters().keySet()) {
            if (!allowed.contains(name)) {
                InvalidFieldException e = new InvalidFieldException(
                        name,
                        "is not a query parameter of this endpoint (allowed: " + String.join(", ", allowed) + ")");
                ctx.abortWith(Errors.response(e.errorCode(), e.getMessage(), e.details()));
                return;
            }
        }
    }

    /** @return the names of the method's {@code @QueryParam}s, in declaration order */
    static Set<String> declared(Method m) {
        Set<String> names = new LinkedHashSet<>();
        for (Annotation[] annotations : m.getParameterAnnotations()) {
            for (Annotation a : annotations) {
                if (a instanceof QueryParam q) {
                    names.add(q.value());
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }
}
