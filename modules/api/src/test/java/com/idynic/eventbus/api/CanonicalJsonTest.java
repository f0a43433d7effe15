package com.idynic.eventbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The content hash decides idempotent re-publishes against hashes stored by earlier versions, so its values are
 * pinned: any change to the rendering (key order, string escaping, number text, UTF-8 of odd surrogates) fails
 * here.
 */
class CanonicalJsonTest {
    static JsonObject json(String s) {
        return CachedJson.createReader(new StringReader(s)).readObject();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                // sha256sum of the literal text {"a":1,"b":2}
                "{\"b\":2,\"a\":1}|43258cff783fe7036d8a43033f830adfc60ec037382473548ac742b888292777",
                // the seed envelope
                "{\"eventType\":\"user.created\",\"source\":\"user-service\",\"id\":\"evt-123456\","
                        + "\"timestamp\":\"2023-05-20T13:45:30Z\",\"data\":{\"userId\":\"usr-789012\","
                        + "\"email\":\"user@example.com\",\"name\":\"John Doe\"},"
                        + "\"metadata\":{\"correlationId\":\"corr-123456\"}}"
                        + "|33b83d606ec568a5a58626fea48789dce2cad8630db022b586c9985cade54d28",
                // numbers as written by JSON-P, literals, nesting, escapes, non-ASCII and a surrogate pair
                "{\"z\":[1.50,-0,1e3,12345678901234567890,-2.5E-7,true,false,null,{}],"
                        + "\"\\u00e9\":\"caf\\u00e9 \\u4e2d \\ud83d\\ude00\","
                        + "\"esc\":\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \\u0001\\u001f\\u007f\\u2028\","
                        + "\"a\":{\"y\":[],\"x\":[[\"\"]]}}"
                        + "|01ac916cb1a364bf6ec51957e08ac6e50c45739677d91b92b23a916c566053f4",
                // lone surrogates become '?' in UTF-8, as String.getBytes does
                "{\"lone\":\"a\\ud800b\",\"low\":\"\\udc00\",\"end\":\"x\\ud83d\"}"
                        + "|b3aaf384fcd40008403bebbf37c87bbd56c68bff8b7bdfabae2e84a117ebf600",
            })
    void theContentHashKeepsTheValuesStoredByEarlierVersions(String document, String sha256) {
        assertEquals(sha256, CanonicalJson.sha256(json(document)));
    }

    @Test
    void theHashIsTheSha256OfTheCanonicalRenderingForRandomDocuments() throws Exception {
        Random random = new Random(20261207L);
        for (int i = 0; i < 2_000; i++) {
            JsonObject doc = randomObject(random, 0);
            byte[] expected = MessageDigest.getInstance("SHA-256")
                    .digest(CanonicalJson.render(doc).getBytes(StandardCharsets.UTF_8));
            assertEquals(HexFormat.of().formatHex(expected), CanonicalJson.sha256(doc), () -> doc.toString());
        }
    }

    @Test
    void aLongStringSpanningManyBuffersHashesAsItsRendering() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append((char) (i % 0x3000));
        }
        JsonObject doc =
                CachedJson.createObjectBuilder().add("k", sb.toString()).build();
        byte[] expected = MessageDigest.getInstance("SHA-256")
                .digest(CanonicalJson.render(doc).getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(expected), CanonicalJson.sha256(doc));
    }

    private static JsonObject randomObject(Random r, int depth) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            b.add(randomString(r), randomValue(r, depth + 1));
        }
        return b.build();
    }

    private static JsonValue randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> CachedJson.createValue(randomString(r));
            case 1 -> CachedJson.createValue(r.nextLong());
            case 2 -> CachedJson.createValue(new BigDecimal(r.nextGaussian()).movePointLeft(r.nextInt(20) - 10));
            case 3 -> r.nextBoolean() ? JsonValue.TRUE : JsonValue.FALSE;
            case 4 -> JsonValue.NULL;
            case 5 -> CachedJson.createValue(r.nextInt());
            case 6 -> randomObject(r, depth);
            default -> {
                JsonArrayBuilder a = CachedJson.createArrayBuilder();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a.build();
            }
        };
    }

    /** Mostly ASCII, with control characters, quotes, backslashes, BMP characters and (lone) surrogates. */
    private static String randomString(Random r) {
        int n = r.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(
                    switch (r.nextInt(8)) {
                        case 0 -> (char) r.nextInt(0x20);
                        case 1 -> r.nextBoolean() ? '"' : '\\';
                        case 2 -> (char) (0x80 + r.nextInt(0x780));
                        case 3 -> (char) (0x800 + r.nextInt(0xD000));
                        case 4 -> (char) (0xD800 + r.nextInt(0x800));
                        case 5 -> (char) (0xE000 + r.nextInt(0x2000));
                        default -> (char) (0x20 + r.nextInt(0x60));
                    });
            if (r.nextInt(10) == 0) {
                sb.appendCodePoint(0x10000 + r.nextInt(0xFFFFF));
            }
        }
        return sb.toString();
    }
}
