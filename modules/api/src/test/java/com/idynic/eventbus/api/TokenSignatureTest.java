package com.idynic.eventbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSignatureTest {
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @TempDir
    Path dir;

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static String jwt(PrivateKey key, String header, String claims) throws Exception {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }

    TokenSignature checking(KeyPair pair) throws Exception {
        Path pem = dir.resolve("public.pem");
        Files.writeString(
                pem,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(pair.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        return TokenSignature.at(pem.toUri().toString());
    }

    @Test
    void passesOnlyRs256TokensSignedWithTheKey() throws Exception {
        KeyPair bus = rsa();
        TokenSignature check = checking(bus);
        String rs256 = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String good = jwt(bus.getPrivate(), rs256, "{\"upn\":\"admin\"}");
        assertTrue(check.active());
        assertTrue(check.mayBeValid(good));
        assertFalse(check.mayBeValid(jwt(rsa().getPrivate(), rs256, "{\"upn\":\"admin\"}")), "another key");
        String tampered = good.substring(0, good.indexOf('.') + 1)
                + B64.encodeToString("{\"upn\":\"root\"}".getBytes(StandardCharsets.UTF_8))
                + good.substring(good.lastIndexOf('.'));
        assertFalse(check.mayBeValid(tampered), "changed claims");
        assertFalse(check.mayBeValid(jwt(bus.getPrivate(), "{\"alg\":\"none\"}", "{}")), "alg none");
        assertFalse(check.mayBeValid("not.a.jwt"));
        assertFalse(check.mayBeValid("garbage"));
        assertFalse(check.mayBeValid(good + ".extra"));
        assertFalse(check.mayBeValid(null));
    }

    @Test
    void withoutALocalKeyEveryTokenGoesOnToTheServersOwnVerification() {
        TokenSignature jwks = TokenSignature.at("https://idp.example/.well-known/jwks.json");
        assertFalse(jwks.active());
        assertTrue(jwks.mayBeValid("anything"));
        assertThrows(
                IllegalArgumentException.class,
                () -> TokenSignature.at(dir.resolve("missing.pem").toUri().toString()));
    }

    @Test
    void aKeyThatCannotBeReadRefusesEveryTokenAndSaysWhy() {
        assertFalse(TokenSignature.refusingAll().mayBeValid("anything"));
        List<String> told = new ArrayList<>();
        TokenSignature unreadable =
                TokenSignature.configured(dir.resolve("missing.pem").toUri().toString(), told::add);
        assertFalse(unreadable.mayBeValid("anything"));
        assertEquals(1, told.size());
        assertTrue(told.get(0).contains("missing.pem"), told.get(0));
    }

    @Test
    void readsAKeyWhosePathHoldsSpaces() throws Exception {
        KeyPair bus = rsa();
        Path pem = Files.createDirectories(dir.resolve("Jane Doe")).resolve("public.pem");
        Files.writeString(
                pem,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(bus.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        String token = jwt(bus.getPrivate(), "{\"alg\":\"RS256\"}", "{}");
        assertTrue(TokenSignature.at(pem.toUri().toString()).mayBeValid(token));
        assertTrue(TokenSignature.at("file:" + pem).mayBeValid(token));
    }

    @Test
    void aVerifiedTokenIsRememberedButAnyOtherTokenIsCheckedInFull() throws Exception {
        KeyPair bus = rsa();
        TokenSignature check = checking(bus);
        String good = jwt(bus.getPrivate(), "{\"alg\":\"RS256\"}", "{\"n\":1}");
        assertTrue(check.mayBeValid(good));
        assertTrue(check.mayBeValid(good));
        String forged = good.substring(0, good.length() - 4) + "AAAA";
        assertFalse(check.mayBeValid(forged), "a token differing only in its signature is checked again");
    }
}
