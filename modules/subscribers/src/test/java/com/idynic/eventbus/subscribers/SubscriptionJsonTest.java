package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.RetryPolicy;
import com.idynic.eventbus.cloudevents.WebhookFormat;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubscriptionJsonTest {
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[24]);

    /** Parses JSON written with single quotes, for readability. */
    static JsonObject json(String singleQuoted) {
        return Json.createReader(new StringReader(singleQuoted.replace('\'', '"')))
                .readObject();
    }

    static final JsonObject FULL = json("{'owner':'billing','eventTypes':['order.*','user.created'],"
            + "'filter':{'source':'shop','data':{'/customer/tier':'gold','/total':12}},"
            + "'target':{'type':'webhook','url':'https://hooks.example.com/in','secret':'" + SECRET + "',"
            + "'timeoutMillis':2500},'ordering':'unordered',"
            + "'retryPolicy':{'initialDelayMillis':500,'multiplier':3.0,'maxDelayMillis':60000,'maxAttempts':7,"
            + "'maxAgeSeconds':3600,'nonRetryableStatuses':[400,422]},"
            + "'startPosition':'earliest','maxConcurrency':4,'maxRatePerSecond':12.5,'state':'paused',"
            + "'disabledReason':'maintenance','schemaVersions':{'order.placed':2}}");

    @Test
    void aWebhookFormatIsReadWrittenBackAndCheckedAndSeedIsTheDefault() {
        JsonObject structured = json("{'eventTypes':['a.b'],'target':{'type':'webhook','url':'https://h.example.com/',"
                + "'format':'cloudevents-structured'}}");
        Subscription s = SubscriptionJson.read("ce", structured);
        assertEquals(WebhookFormat.STRUCTURED, s.target().format());
        assertEquals(
                "cloudevents-structured",
                SubscriptionJson.write(s, false).getJsonObject("target").getString("format"));
        assertEquals(
                s.target().format(),
                SubscriptionJson.read("ce", SubscriptionJson.write(s, true))
                        .target()
                        .format());
        assertEquals(s.target().format(), s.target().withSecret(null).format(), "a copy keeps the format");
        Subscription seed = SubscriptionJson.read(
                "plain",
                json("{'eventTypes':['a.b'],'target':{'type':'webhook'," + "'url':'https://h.example.com/'}}"));
        assertEquals(WebhookFormat.SEED, seed.target().format());
        assertFalse(SubscriptionJson.write(seed, false).getJsonObject("target").containsKey("format"));
        for (String bad : List.of(
                "{'eventTypes':['a.b'],'target':{'type':'webhook','url':'https://h.example.com/','format':'xml'}}",
                "{'eventTypes':['a.b'],'target':{'type':'pull','format':'cloudevents-binary'}}")) {
            assertEquals(
                    "target.format",
                    assertThrows(InvalidFieldException.class, () -> SubscriptionJson.read("x", json(bad)))
                            .details()
                            .get("field"),
                    bad);
        }
    }

    @Test
    void readsEveryField() {
        Subscription s = SubscriptionJson.read("hook", FULL);

        assertEquals(
                new Subscription(
                        "hook",
                        "billing",
                        List.of("order.*", "user.created"),
                        new Filter(
                                "shop",
                                Map.of("/customer/tier", Json.createValue("gold"), "/total", Json.createValue(12))),
                        new Target("webhook", "https://hooks.example.com/in", SECRET, Duration.ofMillis(2500)),
                        "unordered",
                        new RetryPolicy(
                                Duration.ofMillis(500),
                                3.0,
                                Duration.ofMinutes(1),
                                7,
                                Duration.ofHours(1),
                                Set.of(400, 422)),
                        "earliest",
                        4,
                        12.5,
                        "paused",
                        "maintenance",
                        Map.of("order.placed", 2)),
                s);
    }

    @Test
    void whatItWritesReadsBackTheSameAndTheSecretOnlyWhenAskedFor() {
        Subscription s = SubscriptionJson.read("hook", FULL);

        JsonObject stored = json(SubscriptionJson.write(s, true).toString());
        JsonObject shown = json(SubscriptionJson.write(s, false).toString());

        assertEquals(s, SubscriptionJson.read("hook", stored));
        assertEquals("hook", stored.getString("id"));
        assertFalse(shown.getJsonObject("target").containsKey("secret"));
        assertEquals(s, SubscriptionJson.read("hook", shown).withTarget(s.target()));
    }

    @Test
    void fillsTheDocumentedDefaults() {
        Subscription s = SubscriptionJson.read("orders", json("{'eventTypes':['order.*']}"));

        assertEquals(
                new Subscription(
                        "orders",
                        "orders",
                        List.of("order.*"),
                        Filter.NONE,
                        new Target("pull", null, null, Duration.ofSeconds(15)),
                        "ordered",
                        RetryPolicy.DEFAULT,
                        "latest",
                        16,
                        0,
                        "active",
                        null,
                        Map.of()),
                s);
    }

    @Test
    void givesAWebhookWithoutASecretANewRandomOne() {
        JsonObject body = json("{'eventTypes':['order.*'],'target':{'type':'webhook','url':'https://h.example.com/'}}");

        String first = SubscriptionJson.read("hook", body).target().secret();
        String second = SubscriptionJson.read("hook", body).target().secret();

        assertTrue(first.startsWith("whsec_"), first);
        assertEquals(32, Base64.getDecoder().decode(first.substring(6)).length);
        assertNotEquals(first, second);
    }

    static Stream<Arguments> invalidBodies() {
        String types = "'eventTypes':['order.*'],";
        String hook = types + "'target':{'type':'webhook',";
        return Stream.of(
                Arguments.of("{}", "eventTypes", "must be an array"),
                Arguments.of("{'eventTypes':[]}", "eventTypes", "must hold 1 to 100 entries"),
                Arguments.of("{'eventTypes':['a',7]}", "eventTypes[1]", "must be a string"),
                Arguments.of("{" + types + "'target':'pull'}", "target", "must be a JSON object"),
                Arguments.of("{" + types + "'target':{'type':5}}", "target.type", "must be a string"),
                Arguments.of("{" + hook + "'timeoutMillis':500}}", "target.url", "is required for a webhook"),
                Arguments.of("{" + hook + "'url':'http://exa mple.com/'}}", "target.url", "is not a valid URL"),
                Arguments.of(
                        "{" + hook + "'url':'ftp://example.com/'}}",
                        "target.url",
                        "must be an absolute http or https URL"),
                Arguments.of(
                        "{" + hook + "'url':'https://example.com/','secret':'abc'}}",
                        "target.secret",
                        "must be 'whsec_' followed by base64"),
                Arguments.of(
                        "{" + types + "'target':{'timeoutMillis':99}}",
                        "target.timeoutMillis",
                        "must be between 100 and 120000"),
                Arguments.of(
                        "{" + types + "'target':{'timeoutMillis':1.5}}", "target.timeoutMillis", "must be an integer"),
                Arguments.of("{" + types + "'filter':[]}", "filter", "must be a JSON object"),
                Arguments.of("{" + types + "'filter':{'source':1}}", "filter.source", "must be a string"),
                Arguments.of("{" + types + "'filter':{'data':5}}", "filter.data", "must be a JSON object"),
                Arguments.of(
                        "{" + types + "'filter':{'data':{'tier':'gold'}}}",
                        "filter.data",
                        "keys must be JSON pointers such as /customer/tier"),
                Arguments.of("{" + types + "'retryPolicy':7}", "retryPolicy", "must be a JSON object"),
                Arguments.of(
                        "{" + types + "'retryPolicy':{'initialDelayMillis':-1}}",
                        "retryPolicy.initialDelayMillis",
                        "must be between 0 and 86400000"),
                Arguments.of(
                        "{" + types + "'retryPolicy':{'multiplier':0.5}}",
                        "retryPolicy.multiplier",
                        "must be between 1.0 and 100.0"),
                Arguments.of(
                        "{" + types + "'retryPolicy':{'maxDelayMillis':604800001}}",
                        "retryPolicy.maxDelayMillis",
                        "must be between 0 and 604800000"),
                Arguments.of(
                        "{" + types + "'retryPolicy':{'maxAttempts':0}}",
                        "retryPolicy.maxAttempts",
                        "must be between 1 and 1000"),
                Arguments.of(
                        "{" + types + "'retryPolicy':{'maxAgeSeconds':0}}",
                        "retryPolicy.maxAgeSeconds",
                        "must be between 1 and 2592000"),
                Arguments.of(
                        "{" + types + "'retryPolicy':{'nonRetryableStatuses':404}}",
                        "retryPolicy.nonRetryableStatuses",
                        "must be an array"),
                Arguments.of(
                        "{" + types + "'retryPolicy':{'nonRetryableStatuses':[404,99]}}",
                        "retryPolicy.nonRetryableStatuses",
                        "must list HTTP status codes"),
                Arguments.of("{" + types + "'owner':5}", "owner", "must be a string"),
                Arguments.of("{" + types + "'ordering':true}", "ordering", "must be a string"),
                Arguments.of(
                        "{" + types + "'startPosition':'" + "x".repeat(2001) + "'}",
                        "startPosition",
                        "must be at most 2000 characters"),
                Arguments.of("{" + types + "'maxConcurrency':257}", "maxConcurrency", "must be between 1 and 256"),
                Arguments.of(
                        "{" + types + "'maxRatePerSecond':-1}", "maxRatePerSecond", "must be between 0.0 and 100000.0"),
                Arguments.of("{" + types + "'maxRatePerSecond':'fast'}", "maxRatePerSecond", "must be a number"),
                Arguments.of("{" + types + "'state':1}", "state", "must be a string"),
                Arguments.of("{" + types + "'disabledReason':1}", "disabledReason", "must be a string"),
                Arguments.of("{" + types + "'schemaVersions':[]}", "schemaVersions", "must be a JSON object"),
                Arguments.of(
                        "{" + types + "'schemaVersions':{'order.placed':0}}",
                        "schemaVersions.order.placed",
                        "must be a schema version number"),
                Arguments.of(
                        "{" + types + "'schemaVersions':{'order.placed':1.5}}",
                        "schemaVersions.order.placed",
                        "must be a schema version number"));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("invalidBodies")
    void refusesAnInvalidFieldNamingItAndWhy(String body, String field, String error) {
        InvalidFieldException e =
                assertThrows(InvalidFieldException.class, () -> SubscriptionJson.read("hook", json(body)));

        assertEquals(Map.of("field", field, "error", error), e.details());
    }
}
