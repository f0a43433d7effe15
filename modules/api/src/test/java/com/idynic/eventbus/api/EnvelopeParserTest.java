package com.idynic.eventbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvelopeParserTest {
    /** The system clock, as the bus's one clock is in production. */
    static final java.time.Clock SYSTEM = java.time.Clock.systemUTC();

    static final String SEED =
            """
            {"eventType":"user.created","source":"user-service","id":"evt-123456",
             "timestamp":"2023-05-20T13:45:30Z",
             "data":{"userId":"usr-789012","email":"user@example.com","name":"John Doe"},
             "metadata":{"correlationId":"corr-123456"}}""";

    static JsonObject json(String s) {
        return Json.createReader(new StringReader(s)).readObject();
    }

    @Test
    void acceptsTheSeedExample() {
        EventEnvelope e = EnvelopeParser.parse(json(SEED), SYSTEM);
        assertEquals("evt-123456", e.id());
        assertEquals("user.created", e.eventType());
        assertEquals("corr-123456", e.correlationId());
        assertEquals(null, e.partitionKey());
        assertEquals("2023-05-20T13:45:30Z", e.timestamp().toString());
    }

    @Test
    void anEventWithoutATimestampIsStampedByTheCallersClock() {
        java.time.Clock clock = java.time.Clock.fixed(
                java.time.Instant.parse("2026-12-07T10:00:00.123Z"), java.time.ZoneId.of("Asia/Tokyo"));
        EventEnvelope e =
                EnvelopeParser.parse(json("{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{}}"), clock);
        assertEquals("2026-12-07T10:00:00.123Z", e.timestamp().toString(), "the clock's instant, in UTC");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"source\":\"s\",\"id\":\"i\",\"data\":{}}|eventType|is required",
                "{\"eventType\":\"t\",\"id\":\"i\",\"data\":{}}|source|is required",
                "{\"eventType\":\"t\",\"source\":\"s\",\"data\":{}}|id|is required",
                "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\"}|data|is required",
                "{\"eventType\":7,\"source\":\"s\",\"id\":\"i\",\"data\":{}}|eventType|must be a string",
                "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":[1]}|data|must be a JSON object",
                "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{},\"timestamp\":\"yesterday\"}|timestamp|must be an ISO-8601 date-time with offset, e.g. 2023-05-20T13:45:30Z",
                "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{},\"metadata\":{\"correlationId\":5}}|metadata.correlationId|must be a string",
                "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{},\"metadata\":\"x\"}|metadata|must be a JSON object",
                "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"\",\"data\":{}}|id|must not be empty",
                "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{},\"colour\":1}|colour|is not a known field (allowed: id, eventType, source, timestamp, data, metadata)",
            })
    void namesTheFirstInvalidField(String body, String field, String error) {
        InvalidFieldException e =
                assertThrows(InvalidFieldException.class, () -> EnvelopeParser.parse(json(body), SYSTEM));
        assertEquals(field, e.details().get("field"));
        assertEquals(error, e.details().get("error"));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
    }

    @Test
    void refusesTypesWithSpacesAndOverlongIds() {
        assertThrows(
                InvalidFieldException.class,
                () -> EnvelopeParser.parse(
                        json("{\"eventType\":\"user created\",\"source\":\"s\",\"id\":\"i\",\"data\":{}}"), SYSTEM));
        String longId = "x".repeat(EnvelopeParser.MAX_TOKEN_LENGTH + 1);
        assertThrows(
                InvalidFieldException.class,
                () -> EnvelopeParser.parse(
                        json("{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"" + longId + "\",\"data\":{}}"), SYSTEM));
    }

    @Test
    void refusesDeepNestingAndHugeStringsInData() {
        String deep = "[".repeat(40) + "]".repeat(40);
        InvalidFieldException nested = assertThrows(
                InvalidFieldException.class,
                () -> EnvelopeParser.parse(
                        json("{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{\"a\":" + deep + "}}"),
                        SYSTEM));
        assertEquals("nests deeper than 32 levels", nested.details().get("error"));
        String huge = "x".repeat(EnvelopeParser.MAX_STRING_LENGTH + 1);
        InvalidFieldException longString = assertThrows(
                InvalidFieldException.class,
                () -> EnvelopeParser.parse(
                        json("{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{\"a\":\"" + huge + "\"}}"),
                        SYSTEM));
        assertEquals("data", longString.details().get("field"));
        String ok = "[".repeat(30) + "]".repeat(30);
        EnvelopeParser.parse(
                json("{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{\"a\":" + ok + "}}"), SYSTEM);
    }

    @Test
    void anIdWithASlashIsRefusedBecauseItCouldNotBeAddressedInAUrl() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> EnvelopeParser.parse(
                        json("{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"ord/1\",\"data\":{}}"), SYSTEM));
        assertEquals("id", e.details().get("field"));
        assertEquals(
                "contains characters that are not allowed (pattern [A-Za-z0-9][A-Za-z0-9._:@+=-]*): no '/', an id"
                        + " must fit in one URL path segment",
                e.details().get("error"));
        assertEquals(
                "a.b_c:d@e+f=g-h",
                EnvelopeParser.parse(
                                json("{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"a.b_c:d@e+f=g-h\",\"data\":{}}"),
                                SYSTEM)
                        .id());
    }

    @Test
    void aStoredEnvelopeIsReadAsWrittenEvenWhereTodaysGrammarWouldRefuseIt() {
        String old = "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"ord/1\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"data\":{\"n\":1},\"metadata\":{\"partitionKey\":\"k\"}}";
        EventEnvelope e = EnvelopeParser.stored(json(old));
        assertEquals("ord/1", e.id());
        assertEquals("k", e.partitionKey());
        assertEquals(1, e.data().getInt("n"));
        assertThrows(InvalidFieldException.class, () -> EnvelopeParser.parse(json(old), SYSTEM));
    }

    @Test
    void aStoredEnvelopeReadFromItsTextIsTheOneReadFromItsObject() {
        String text = "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"ord/1\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"data\":{\"n\":1},\"metadata\":{\"partitionKey\":\"k\"}}";
        assertEquals(EnvelopeParser.stored(json(text)), EnvelopeParser.stored(text));
        assertEquals(EnvelopeParser.stored(json(text), "h1"), EnvelopeParser.stored(text, "h1"));
        assertEquals("h1", EnvelopeParser.stored(text, "h1").contentHash());
        assertEquals(
                EnvelopeParser.stored(json(text)).contentHash(),
                EnvelopeParser.stored(text).contentHash());
    }

    @Test
    void hashIgnoresKeyOrderButNotValues() {
        String a = "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{\"x\":1,\"y\":2}}";
        String b = "{\"data\":{\"y\":2,\"x\":1},\"id\":\"i\",\"source\":\"s\",\"eventType\":\"t\"}";
        String c = "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{\"x\":1,\"y\":3}}";
        assertEquals(
                EnvelopeParser.parse(json(a), SYSTEM).contentHash(),
                EnvelopeParser.parse(json(b), SYSTEM).contentHash());
        assertNotEquals(
                EnvelopeParser.parse(json(a), SYSTEM).contentHash(),
                EnvelopeParser.parse(json(c), SYSTEM).contentHash());
    }

    @Test
    void readsOrderingKeyFromMetadata() {
        EventEnvelope e = EnvelopeParser.parse(
                json(
                        "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{},\"metadata\":{\"partitionKey\":\"cust-7\"}}"),
                SYSTEM);
        assertEquals("cust-7", e.partitionKey());
    }

    static String withMetadata(String metadata) {
        return "{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":{},\"metadata\":" + metadata + "}";
    }

    @Test
    void aSchemaVersionMayBeANumberOrItsStringForm() {
        assertEquals(
                "2",
                EnvelopeParser.parse(json(withMetadata("{\"schemaVersion\":2}")), SYSTEM)
                        .schemaVersion());
        assertEquals(
                "2",
                EnvelopeParser.parse(json(withMetadata("{\"schemaVersion\":\"2\"}")), SYSTEM)
                        .schemaVersion());
        assertEquals(
                null, EnvelopeParser.parse(json(withMetadata("{}")), SYSTEM).schemaVersion());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"0", "-1", "1.5", "true", "{}", "4294967296"})
    void aSchemaVersionThatIsNoWholePositiveNumberIsRefused(String version) {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> EnvelopeParser.parse(json(withMetadata("{\"schemaVersion\":" + version + "}")), SYSTEM));
        assertEquals("metadata.schemaVersion", e.details().get("field"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"n\":1e999999999}|data.n",
                "{\"n\":-1e999999999}|data.n",
                "{\"a\":{\"b\":[1,2,1.8e308]}}|data.a.b[2]",
                "{\"tiny\":1e-999999999}|data.tiny",
                "{\"zero\":0e999999999}|data.zero",
            })
    void numbersADoubleCannotHoldAreRefusedNamingTheirPath(String data, String field) {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> EnvelopeParser.parse(
                        json("{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":" + data + "}"), SYSTEM));
        assertEquals(field, e.details().get("field"));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.errorCode());
    }

    @Test
    void numbersInMetadataAreBoundedToo() {
        InvalidFieldException e = assertThrows(
                InvalidFieldException.class,
                () -> EnvelopeParser.parse(json(withMetadata("{\"retries\":1e400}")), SYSTEM));
        assertEquals("metadata.retries", e.details().get("field"));
    }

    @Test
    void numbersADoubleHoldsAreAcceptedAsWritten() {
        String data =
                "{\"max\":1.7976931348623157e308,\"min\":4.9e-324,\"zero\":0.0,\"big\":123456789012345678901234567890,"
                        + "\"precise\":0.1000000000000000000001,\"neg\":-1e308,\"e\":0e5}";
        EventEnvelope e = EnvelopeParser.parse(
                json("{\"eventType\":\"t\",\"source\":\"s\",\"id\":\"i\",\"data\":" + data + "}"), SYSTEM);
        assertEquals("123456789012345678901234567890", e.data().get("big").toString());
    }
}
