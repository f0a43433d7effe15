package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentedJsonTest {
    @Test
    void equalValuesPassAndKeysTheReadmeDoesNotShowAreIgnored() {
        assertEquals(
                List.of(),
                differences(
                        "{\"id\":\"billing\",\"maxConcurrency\":16,\"active\":true,\"reason\":null,"
                                + "\"message\":\"say \\\"hi\\\"\",\"target\":{\"type\":\"pull\"}}",
                        "{\"id\":\"billing\",\"maxConcurrency\":16,\"active\":true,\"reason\":null,"
                                + "\"message\":\"say \\\"hi\\\"\",\"target\":{\"type\":\"pull\",\"url\":null},\"x\":1}"));
    }

    @Test
    void aChangedStringFailsNamingItsPathAndBothValues() {
        assertEquals(
                List.of("$.deliveries[0].state: the README shows \"DELIVERED\", the answer has \"PENDING\""),
                differences(
                        "{\"deliveries\":[{\"state\":\"DELIVERED\"}]}", "{\"deliveries\":[{\"state\":\"PENDING\"}]}"));
    }

    @Test
    void aChangedNumberFails() {
        assertEquals(
                List.of("$.settled: the README shows 1, the answer has 0"),
                differences("{\"settled\":1}", "{\"settled\":0}"));
    }

    @Test
    void numbersAreComparedByValue() {
        assertEquals(List.of(), differences("{\"multiplier\":2}", "{\"multiplier\":2.0}"));
    }

    @Test
    void aChangedBooleanFails() {
        assertEquals(
                List.of("$.events[0].replay: the README shows false, the answer has true"),
                differences("{\"events\":[{\"replay\":false}]}", "{\"events\":[{\"replay\":true}]}"));
    }

    @Test
    void aValueOfAnotherTypeFails() {
        assertEquals(
                List.of(
                        "$.total: the README shows 1, the answer has \"1\"",
                        "$.error: the README shows null, the answer has \"x\"",
                        "$.event: the README shows an object, the answer has \"x\"",
                        "$.attempts: the README shows an array, the answer has {}"),
                differences(
                        "{\"total\":1,\"error\":null,\"event\":{...},\"attempts\":[...]}",
                        "{\"total\":\"1\",\"error\":\"x\",\"event\":\"x\",\"attempts\":{}}"));
    }

    @Test
    void aMissingKeyFailsWithItsPath() {
        assertEquals(
                List.of("the answer lacks $.details.field", "the answer lacks $.total"),
                differences(
                        "{\"details\":{\"field\":\"source\"},\"total\":…}", "{\"details\":{\"source\":\"billing\"}}"));
    }

    @Test
    void valuesWrittenWithAnEllipsisAreNotCompared() {
        assertEquals(
                List.of(),
                differences(
                        "{\"id\":\"rpl-…\",\"href\":\"/v1/retention/runs/ret-…\",\"total\":…,\"done\":0,...}",
                        "{\"id\":\"rpl-2f0c1\",\"href\":\"/v1/retention/runs/ret-9a\",\"total\":7,\"done\":0,\"x\":1}"));
    }

    @Test
    void timestampsAreNotCompared() {
        assertEquals(
                List.of(),
                differences(
                        "{\"startedAt\":\"2026-11-27T17:29:43.738Z\",\"at\":\"2026-11-27T17:29:43+01:00\"}",
                        "{\"startedAt\":\"2026-12-06T11:20:51.004Z\",\"at\":\"2026-12-06T11:20:51Z\"}"));
    }

    @Test
    void generatedFieldsAreNotComparedButMustBeThere() {
        assertEquals(
                List.of(),
                differences(
                        "{\"receipt\":\"rcpt-8aa7447d73397c68\",\"keyId\":\"3f9c\",\"etaSeconds\":12}",
                        "{\"receipt\":\"rcpt-0123456789abcdef\",\"keyId\":\"77aa\",\"etaSeconds\":3}"));
        assertEquals(List.of("the answer lacks $.receipt"), differences("{\"receipt\":\"rcpt-…\"}", "{}"));
    }

    @Test
    void anArrayEndingInAnEllipsisComparesTheElementsShownAsAPrefix() {
        String shown = "{\"events\":[{\"id\":\"ord-1001\",...},...]}";

        assertEquals(List.of(), differences(shown, "{\"events\":[{\"id\":\"ord-1001\"},{\"id\":\"ord-1002\"}]}"));
        assertEquals(List.of(), differences(shown, "{\"events\":[{\"id\":\"ord-1001\"}]}"));
        assertEquals(
                List.of("$.events[0].id: the README shows \"ord-1001\", the answer has \"ord-1002\""),
                differences(shown, "{\"events\":[{\"id\":\"ord-1002\"},{\"id\":\"ord-1001\"}]}"));
        assertEquals(
                List.of("$.events: the README shows at least 1 element, the answer has 0: []"),
                differences(shown, "{\"events\":[]}"));
    }

    @Test
    void anArrayShownWholeMustHaveExactlyItsElements() {
        assertEquals(
                List.of("$.breaks: the README shows 0 elements, the answer has 1: [\"x\"]"),
                differences("{\"breaks\":[]}", "{\"breaks\":[\"x\"]}"));
        assertEquals(
                List.of("$.events: the README shows 1 element, the answer has 2: [{\"id\":\"a\"},{\"id\":\"b\"}]"),
                differences("{\"events\":[{\"id\":\"a\"}]}", "{\"events\":[{\"id\":\"a\"},{\"id\":\"b\"}]}"));
    }

    @Test
    void anElidedArrayOrObjectComparesNothingInside() {
        assertEquals(
                List.of(),
                differences(
                        "{\"event\":{...},\"attempts\":[...],\"errors\":[…]}",
                        "{\"event\":{\"id\":\"x\"},\"attempts\":[1,2],\"errors\":[]}"));
    }

    @Test
    void aKeyThatIsNotANameIsWrittenInBrackets() {
        assertEquals(
                List.of("$.filter.data['/currency']: the README shows \"EUR\", the answer has \"USD\""),
                differences(
                        "{\"filter\":{\"data\":{\"/currency\":\"EUR\"}}}",
                        "{\"filter\":{\"data\":{\"/currency\":\"USD\"}}}"));
    }

    @Test
    void proseAfterTheObjectIsNotRead() {
        assertEquals(
                List.of(), differences("{\"settled\":1}: retried, the first time after about 1 s", "{\"settled\":1}"));
    }

    @Test
    void jsonThatNeverClosesOrCannotBeReadIsAProblemNamingItsLine() {
        List<String> problems = new ArrayList<>();

        assertNull(DocumentedJson.read("{\"a\":[1,2", 7, problems));
        assertNull(DocumentedJson.read("{\"a\" 1}", 8, problems));
        assertNull(DocumentedJson.read("{\"a\":[...,1]}", 9, problems));

        assertEquals(3, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("line 7: the JSON shown never closes"), problems.get(0));
        assertTrue(problems.get(1).startsWith("line 8: the JSON shown cannot be read"), problems.get(1));
        assertTrue(problems.get(2).startsWith("line 9: the JSON shown cannot be read"), problems.get(2));
    }

    @Test
    void anExpectationInAReadmeCommentIsHeldToTheAnswer() {
        List<String> problems = new ArrayList<>();
        ReadmeExamples.Expected e = ReadmeExamples.inComment(
                "# -> 200 {\"events\":[{\"event\":{\"id\":\"ord-1001\",...},\"attempt\":1,\"replay\":false}]}",
                12,
                problems);

        assertEquals(List.of(), problems);
        assertEquals(
                List.of("$.events[0].attempt: the README shows 1, the answer has 2"),
                DocumentedJson.differences(
                        e.json(),
                        json("{\"events\":[{\"event\":{\"id\":\"ord-1001\",\"data\":{}},\"attempt\":2,"
                                + "\"replay\":false}]}")));
    }

    private static List<String> differences(String shown, String actual) {
        List<String> problems = new ArrayList<>();
        DocumentedJson.Shown s = DocumentedJson.read(shown, 1, problems);
        assertEquals(List.of(), problems);
        return DocumentedJson.differences(s, json(actual));
    }

    private static JsonValue json(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readValue();
        }
    }
}
