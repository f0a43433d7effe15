package com.idynic.eventbus.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final byte[] KEY = key(1);
    static final byte[] NEXT_KEY = key(2);

    static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    static SecretBox box(byte[] current, byte[]... old) {
        return new SecretBox(current, List.of(old));
    }

    @Test
    void sealsUnderTheCurrentKeyAndOpensWithTheSameRecordId() {
        SecretBox box = box(KEY);
        String sealed = box.seal(SECRET, "orders-webhook");

        assertTrue(sealed.startsWith("enc:v1:" + SecretBox.keyId(KEY) + ":"), sealed);
        assertFalse(sealed.contains(SECRET.substring("whsec_".length())), sealed);
        assertTrue(SecretBox.isSealed(sealed));
        assertTrue(box.isCurrent(sealed));
        assertEquals(SECRET, box.open(sealed, "orders-webhook"));
    }

    @Test
    void sealsTheSameSecretDifferentlyEachTime() {
        SecretBox box = box(KEY);
        assertNotEquals(box.seal(SECRET, "a"), box.seal(SECRET, "a"));
    }

    @Test
    void refusesAValueCopiedToAnotherRecord() {
        SecretBox box = box(KEY);
        String sealed = box.seal(SECRET, "orders-webhook");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> box.open(sealed, "other-webhook"));
        assertTrue(e.getMessage().contains("copied from another record"), e.getMessage());
    }

    @Test
    void refusesAnAlteredValueWithoutShowingIt() {
        SecretBox box = box(KEY);
        String sealed = box.seal(SECRET, "orders-webhook");
        String prefix = sealed.substring(0, sealed.lastIndexOf(':') + 1);
        byte[] body = Base64.getDecoder().decode(sealed.substring(prefix.length()));
        body[body.length - 20] ^= 1;
        String altered = prefix + Base64.getEncoder().encodeToString(body);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> box.open(altered, "orders-webhook"));
        assertTrue(e.getMessage().contains("altered"), e.getMessage());
        assertFalse(e.getMessage().contains(altered.substring(prefix.length())), e.getMessage());
        assertThrows(IllegalStateException.class, () -> box.open(prefix + "AAAA", "orders-webhook"));
        assertThrows(IllegalStateException.class, () -> box.open(prefix + "not base64!", "orders-webhook"));
    }

    @Test
    void opensValuesUnderAnOldKeyAfterARotationAndSealsNewOnesUnderTheNewKey() {
        String underOldKey = box(KEY).seal(SECRET, "orders-webhook");
        SecretBox rotated = box(NEXT_KEY, KEY);

        assertEquals(SECRET, rotated.open(underOldKey, "orders-webhook"));
        assertFalse(rotated.isCurrent(underOldKey));
        String resealed = rotated.seal(SECRET, "orders-webhook");
        assertTrue(resealed.startsWith("enc:v1:" + SecretBox.keyId(NEXT_KEY) + ":"), resealed);
        assertTrue(rotated.isCurrent(resealed));
        assertEquals(List.of(SecretBox.keyId(NEXT_KEY), SecretBox.keyId(KEY)), rotated.keyIds());
    }

    @Test
    void namesTheMissingKeyByItsIdWhenTheOldKeyIsGone() {
        String underOldKey = box(KEY).seal(SECRET, "orders-webhook");

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> box(NEXT_KEY).open(underOldKey, "orders-webhook"));
        assertTrue(e.getMessage().contains(SecretBox.keyId(KEY)), e.getMessage());
        assertTrue(e.getMessage().contains("eventbus.secrets.old-keys"), e.getMessage());
    }

    @Test
    void recognisesASecretStoredInPlainTextByAnOlderVersion() {
        SecretBox box = box(KEY);

        assertFalse(SecretBox.isSealed(SECRET));
        assertFalse(box.isCurrent(SECRET));
        assertEquals(SECRET, box.open(SECRET, "orders-webhook"));
        assertEquals(SECRET, SecretBox.none().open(SECRET, "orders-webhook"));
    }

    @Test
    void refusesToSealWithoutAKeyWith503NamingTheSetting() {
        SecretBox none = SecretBox.none();

        assertFalse(none.canSeal());
        BusException e = assertThrows(BusException.class, () -> none.seal(SECRET, "orders-webhook"));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, e.errorCode());
        assertEquals("eventbus.secrets.key", e.details().get("setting"));
        assertTrue(e.getMessage().contains("EVENTBUS_SECRETS_KEY"), e.getMessage());
    }

    @Test
    void readsKeysFromSettingsAndLeavesOutMalformedOnesWithoutQuotingThem() {
        String current = Base64.getEncoder().encodeToString(NEXT_KEY);
        String old = Base64.getUrlEncoder().withoutPadding().encodeToString(KEY);
        List<String> problems = new ArrayList<>();

        SecretBox box = SecretBox.fromSettings(current, old + ", c2hvcnQ=, %%%", problems::add);

        assertEquals(SecretBox.keyId(NEXT_KEY), box.currentKeyId().orElseThrow());
        assertEquals(List.of(SecretBox.keyId(NEXT_KEY), SecretBox.keyId(KEY)), box.keyIds());
        assertEquals(
                List.of(
                        "eventbus.secrets.old-keys (key 2) is 5 bytes, not 32; it is ignored",
                        "eventbus.secrets.old-keys (key 3) is not base64; it is ignored"),
                problems);
        assertFalse(SecretBox.fromSettings(null, null, problems::add).canSeal());
        assertFalse(SecretBox.fromSettings("  ", "", problems::add).canSeal());
    }

    @Test
    void namesAKeyByTheFirstEightHexDigitsOfItsSha256() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(KEY);
        assertEquals(HexFormat.of().formatHex(digest).substring(0, 8), SecretBox.keyId(KEY));
        assertEquals(
                8,
                SecretBox.keyId("x".repeat(32).getBytes(StandardCharsets.UTF_8)).length());
    }
}
