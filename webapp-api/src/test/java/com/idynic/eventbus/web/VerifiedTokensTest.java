package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.TokenSignature;
import com.idynic.eventbus.security.SecuritySettings;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedTokensTest {
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final long NOW = 1_800_000_000L;
    static KeyPair bus;
    static TokenSignature signature;

    @BeforeAll
    static void key(@TempDir Path dir) throws Exception {
        bus = rsa();
        Path pem = dir.resolve("public.pem");
        Files.writeString(
                pem,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(bus.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        signature = TokenSignature.at(pem.toUri().toString());
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        long seconds = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds);
        }
    }

    static JsonObjectBuilder claims() {
        return Json.createObjectBuilder()
                .add("iss", "idynic-event-bus")
                .add("aud", "idynic-event-bus")
                .add("sub", "orders")
                .add("upn", "orders")
                .add("groups", Json.createArrayBuilder().add("publisher").add("subscriber"))
                .add("iat", NOW - 10)
                .add("exp", NOW + 900)
                .add("jti", "j-1")
                .add("ebk", "key-1");
    }

    static String jwt(PrivateKey key, String header, String claims) throws Exception {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }

    static String jwt(JsonObjectBuilder claims) throws Exception {
        return jwt(
                bus.getPrivate(),
                "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
                claims.build().toString());
    }

    static VerifiedTokens tokens(Clock clock) {
        return new VerifiedTokens(signature, "idynic-event-bus", "idynic-event-bus", Duration.ofSeconds(30), clock);
    }

    @Test
    void aTokenOfTheBusGivesItsServiceGroupsAndClaimsAndIsVerifiedOnce() throws Exception {
        VerifiedTokens tokens = tokens(new TestClock());
        String token = jwt(claims());

        TokenPrincipal p = tokens.verify(token);

        assertNotNull(p);
        assertEquals("orders", p.getName());
        assertEquals(Set.of("publisher", "subscriber"), p.getGroups());
        assertEquals("key-1", ((JsonString) p.getClaim("ebk")).getString());
        assertEquals(NOW + 900, p.getExpirationTime());
        assertEquals(Set.of("idynic-event-bus"), p.getAudience());
        assertEquals("idynic-event-bus", p.getIssuer());
        assertEquals(token, p.getRawToken());
        assertSame(p, tokens.verify(token), "the second call finds the verified token");
        assertEquals(1, tokens.size());
    }

    @Test
    void forgedMisaddressedExpiredNotYetValidOrNamelessTokensAreRefused() throws Exception {
        VerifiedTokens tokens = tokens(new TestClock());
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(
                "another key",
                jwt(rsa().getPrivate(), "{\"alg\":\"RS256\"}", claims().build().toString()));
        refused.put(
                "alg none",
                jwt(bus.getPrivate(), "{\"alg\":\"none\"}", claims().build().toString()));
        refused.put("wrong issuer", jwt(claims().add("iss", "https://evil.example")));
        refused.put("wrong audience", jwt(claims().add("aud", "someone-else")));
        refused.put("no audience", jwt(claims().remove("aud")));
        refused.put("expired beyond the skew", jwt(claims().add("exp", NOW - 31)));
        refused.put("no expiry", jwt(claims().remove("exp")));
        refused.put("issued in the future", jwt(claims().add("iat", NOW + 31)));
        refused.put("not yet valid", jwt(claims().add("nbf", NOW + 31)));
        refused.put("no upn", jwt(claims().remove("upn")));
        refused.put(
                "groups not strings",
                jwt(claims().add("groups", Json.createArrayBuilder().add(1))));
        refused.put("not a JWT", "not.a.jwt");
        refused.forEach((why, token) -> assertNull(tokens.verify(token), why));
        assertEquals(0, tokens.size(), "nothing refused is remembered");

        assertNotNull(tokens.verify(jwt(claims().add("exp", NOW - 29))), "expired within the skew");
        assertNotNull(
                tokens.verify(jwt(
                        claims().add("aud", Json.createArrayBuilder().add("x").add("idynic-event-bus")))),
                "an audience list naming the bus");
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpiresAndIsForgotten() throws Exception {
        TestClock clock = new TestClock();
        VerifiedTokens tokens = tokens(clock);
        String token = jwt(claims());
        assertNotNull(tokens.verify(token));

        clock.seconds = NOW + 900 + 30;
        assertNotNull(tokens.verify(token), "still within the skew");
        clock.seconds = NOW + 900 + 31;
        assertNull(tokens.verify(token));
        assertEquals(0, tokens.size());
    }

    @Test
    void theCacheStaysBoundedDroppingExpiredTokensFirst() throws Exception {
        TestClock clock = new TestClock();
        VerifiedTokens tokens =
                new VerifiedTokens(signature, "idynic-event-bus", "idynic-event-bus", Duration.ZERO, clock, 3);
        String shortLived = jwt(claims().add("jti", "a").add("exp", NOW + 5));
        tokens.verify(shortLived);
        tokens.verify(jwt(claims().add("jti", "b")));
        tokens.verify(jwt(claims().add("jti", "c")));
        clock.seconds = NOW + 6;

        tokens.verify(jwt(claims().add("jti", "d")));
        assertEquals(3, tokens.size(), "the expired one made room");

        tokens.verify(jwt(claims().add("jti", "e")));
        assertEquals(1, tokens.size(), "none expired: all forgotten, the new one kept");
    }

    @Test
    void onlyALocalKeyVerifiesHere() {
        TokenSignature jwks = TokenSignature.at("https://idp.example/.well-known/jwks.json");
        assertThrows(
                IllegalArgumentException.class,
                () -> new VerifiedTokens(jwks, "i", "a", Duration.ZERO, Clock.systemUTC()));
    }

    @Test
    void theClockSkewReadsLibertyAndIsoDurations() {
        Duration fallback = Duration.ofSeconds(7);
        assertEquals(Duration.ofSeconds(30), SecuritySettings.libertyDuration("30s", fallback));
        assertEquals(Duration.ofSeconds(90), SecuritySettings.libertyDuration("1m30s", fallback));
        assertEquals(Duration.ofMillis(500), SecuritySettings.libertyDuration("500ms", fallback));
        assertEquals(Duration.ofMillis(2500), SecuritySettings.libertyDuration("2500", fallback));
        assertEquals(Duration.ofHours(1), SecuritySettings.libertyDuration("PT1H", fallback));
        assertEquals(fallback, SecuritySettings.libertyDuration("soon", fallback), "unreadable: the fallback");
        assertEquals(fallback, SecuritySettings.libertyDuration("30s soon", fallback), "trailing text");
    }
}
