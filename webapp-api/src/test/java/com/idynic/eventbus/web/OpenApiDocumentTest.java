package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The static OpenAPI document (META-INF/openapi.yaml, merged by MicroProfile OpenAPI with what it finds in the
 * resources) documents every operation of every resource, and nothing else: a summary, a declared tag, an example of
 * every request body and every success body, every path, query and header parameter, and the refusals as the error
 * JSON. A new resource method without its entry fails here.
 */
class OpenApiDocumentTest {
    static final Set<String> UNDOCUMENTED_HEADERS = Set.of("Content-Type");

    record Operation(String method, String path, Method java) {
        String key() {
            return method + " " + path;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> document() {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            assertTrue(in != null, "META-INF/openapi.yaml is on the class path");
            return (Map<String, Object>) new Yaml().load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return every resource method of the API, by "METHOD /path" */
    static Map<String, Operation> resourceOperations() {
        Map<String, Operation> ops = new TreeMap<>();
        for (JavaClass jc : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.idynic.eventbus.web")) {
            Class<?> c = jc.reflect();
            Path root = c.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                String verb = httpMethod(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = join(root.value(), sub == null ? "" : sub.value());
                Operation op = new Operation(verb, path, m);
                ops.put(op.key(), op);
            }
        }
        return ops;
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    private static String join(String a, String b) {
        String p = ("/" + a + "/" + b).replaceAll("/+", "/");
        p = p.replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List ? (List<Object>) o : List.of();
    }

    /** @return the object a local $ref names (or the object itself) */
    static Map<String, Object> resolve(Map<String, Object> doc, Map<String, Object> o) {
        Object ref = o.get("$ref");
        if (ref == null) {
            return o;
        }
        String r = (String) ref;
        assertTrue(r.startsWith("#/"), "a local reference: " + r);
        Object at = doc;
        for (String part : r.substring(2).split("/")) {
            at = map(at).get(part);
            if (at == null) {
                fail("unresolved reference " + r);
            }
        }
        return resolve(doc, map(at));
    }

    /** @return the operations the document describes, by "METHOD /path" */
    static Map<String, Map<String, Object>> documentedOperations(Map<String, Object> doc) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        map(doc.get("paths")).forEach((path, item) -> map(item).forEach((verb, op) -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options")
                    .contains(verb)) {
                out.put(verb.toUpperCase(Locale.ROOT) + " " + path, map(op));
            }
        }));
        return out;
    }

    @Test
    void everyResourceMethodHasAnEntryAndEveryEntryAResourceMethod() {
        Map<String, Operation> code = resourceOperations();
        Set<String> documented = documentedOperations(document()).keySet();
        assertTrue(code.size() > 50, "found the API's resources by reflection: " + code.keySet());
        Set<String> missing = new TreeSet<>(code.keySet());
        missing.removeAll(documented);
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(code.keySet());
        assertEquals(Set.of(), missing, "resource methods without an entry in META-INF/openapi.yaml");
        assertEquals(Set.of(), stale, "entries in META-INF/openapi.yaml that name no resource method");
    }

    @Test
    void everyEntryHasASummaryATagExamplesItsParametersAndItsRefusalsAsTheErrorJson() {
        Map<String, Object> doc = document();
        Set<String> tags = new TreeSet<>();
        list(doc.get("tags")).forEach(t -> tags.add((String) map(t).get("name")));
        Map<String, Operation> code = resourceOperations();
        List<String> problems = new ArrayList<>();
        documentedOperations(doc).forEach((key, op) -> {
            Operation java = code.get(key);
            if (java == null) {
                return;
            }
            problems.addAll(check(doc, tags, key, op, java.java()));
        });
        assertEquals(List.of(), problems);
    }

    static List<String> check(Map<String, Object> doc, Set<String> tags, String key, Map<String, Object> op, Method m) {
        List<String> p = new ArrayList<>();
        if (!(op.get("summary") instanceof String s) || s.isBlank()) {
            p.add(key + ": no summary");
        }
        List<Object> opTags = list(op.get("tags"));
        if (opTags.isEmpty() || !tags.containsAll(opTags)) {
            p.add(key + ": tags " + opTags + " not among the declared " + tags);
        }
        Set<String> params = new TreeSet<>();
        list(op.get("parameters")).forEach(x -> {
            Map<String, Object> r = resolve(doc, map(x));
            params.add(r.get("in") + ":" + r.get("name"));
        });
        Matcher pathParam = Pattern.compile("\\{([A-Za-z0-9_]+)}").matcher(key);
        while (pathParam.find()) {
            if (!params.contains("path:" + pathParam.group(1))) {
                p.add(key + ": path parameter " + pathParam.group(1) + " undocumented");
            }
        }
        boolean body = false;
        for (Parameter jp : m.getParameters()) {
            QueryParam q = jp.getAnnotation(QueryParam.class);
            HeaderParam h = jp.getAnnotation(HeaderParam.class);
            if (q != null && !params.contains("query:" + q.value())) {
                p.add(key + ": query parameter " + q.value() + " undocumented");
            }
            if (h != null && !UNDOCUMENTED_HEADERS.contains(h.value()) && !params.contains("header:" + h.value())) {
                p.add(key + ": header " + h.value() + " undocumented");
            }
            if (q == null
                    && h == null
                    && jp.getAnnotation(PathParam.class) == null
                    && jp.getAnnotation(Suspended.class) == null
                    && jp.getAnnotation(Context.class) == null) {
                body = true;
            }
        }
        Map<String, Object> requestBody = resolve(doc, map(op.get("requestBody")));
        if (body != !requestBody.isEmpty()) {
            p.add(key + (body ? ": reads a body the entry does not describe" : ": describes a body it never reads"));
        }
        map(requestBody.get("content")).forEach((type, media) -> {
            if (!hasExample(map(media))) {
                p.add(key + ": request body " + type + " has no example");
            }
        });
        Map<String, Object> responses = map(op.get("responses"));
        boolean success = false;
        boolean refusal = false;
        for (Map.Entry<String, Object> e : responses.entrySet()) {
            Map<String, Object> r = resolve(doc, map(e.getValue()));
            if (!(r.get("description") instanceof String)) {
                p.add(key + ": response " + e.getKey() + " has no description");
            }
            if (e.getKey().startsWith("2")) {
                success = true;
                if (!e.getKey().equals("204") && map(r.get("content")).isEmpty()) {
                    p.add(key + ": response " + e.getKey() + " has no content");
                }
                map(r.get("content")).forEach((type, media) -> {
                    if (!hasExample(map(media))) {
                        p.add(key + ": response " + e.getKey() + " " + type + " has no example");
                    }
                });
            } else if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
                refusal = true;
                Map<String, Object> json = map(map(r.get("content")).get("application/json"));
                if (!"#/components/schemas/Error".equals(map(json.get("schema")).get("$ref")) || !hasExample(json)) {
                    p.add(key + ": response " + e.getKey() + " is not the error JSON with an example");
                }
            }
        }
        if (!success) {
            p.add(key + ": no success response");
        }
        if (!refusal || !responses.containsKey("401")) {
            p.add(key + ": refusals (at least 401) undocumented");
        }
        return p;
    }

    static boolean hasExample(Map<String, Object> media) {
        return media.get("example") != null || !map(media.get("examples")).isEmpty();
    }

    @Test
    void tokensAreBearerJwtsNeededEverywhereButAtTheTokenExchange() {
        Map<String, Object> doc = document();
        Map<String, Object> bearer =
                map(map(map(doc.get("components")).get("securitySchemes")).get("bearer"));
        assertEquals(
                Map.of("type", "http", "scheme", "bearer", "bearerFormat", "JWT"),
                Map.of(
                        "type",
                        bearer.get("type"),
                        "scheme",
                        bearer.get("scheme"),
                        "bearerFormat",
                        bearer.get("bearerFormat")));
        assertEquals(List.of(Map.of("bearer", List.of())), doc.get("security"));
        documentedOperations(doc)
                .forEach((key, op) -> assertEquals(
                        key.equals("POST /v1/auth/token"),
                        op.containsKey("security") && list(op.get("security")).isEmpty(),
                        key + ": open to anonymous callers only at the token exchange"));
    }
}
