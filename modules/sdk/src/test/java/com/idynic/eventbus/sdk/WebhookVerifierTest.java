package com.idynic.eventbus.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The Standard Webhooks signature on the raw body, with a vector from the Standard Webhooks reference. */
class WebhookVerifierTest {
    // the Standard Webhooks specification's test vector
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final String TS = "1614265330";
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    static final Clock AT_TS = Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC);

    private static WebhookVerifier verifier() {
        return new WebhookVerifier(SECRET, WebhookVerifier.DEFAULT_TOLERANCE, AT_TS);
    }

    @Test
    void theReferenceVectorVerifiesAmongOtherSignatures() {
        verifier().verify(ID, TS, SIGNATURE, BODY);
        verifier().verify(ID, TS, "v1,bm90IGl0 v2,xyz " + SIGNATURE, BODY);
    }

    @Test
    void aReserialisedBodyDoesNotVerify() {
        byte[] compact = "{\"test\":2432232314}".getBytes(StandardCharsets.UTF_8);
        WebhookVerificationException e = assertThrows(
                WebhookVerificationException.class, () -> verifier().verify(ID, TS, SIGNATURE, compact));
        assertEquals("no webhook-signature matches the body", e.getMessage());
        assertFalse(verifier().isValid(ID + "x", TS, SIGNATURE, BODY), "another id");
    }

    @Test
    void aTimestampOutsideTheToleranceIsRefused() {
        WebhookVerifier later = new WebhookVerifier(
                SECRET,
                Duration.ofMinutes(5),
                Clock.offset(AT_TS, Duration.ofMinutes(5).plusSeconds(1)));
        assertThrows(WebhookVerificationException.class, () -> later.verify(ID, TS, SIGNATURE, BODY));
        WebhookVerifier justIn =
                new WebhookVerifier(SECRET, Duration.ofMinutes(5), Clock.offset(AT_TS, Duration.ofMinutes(5)));
        assertTrue(justIn.isValid(ID, TS, SIGNATURE, BODY));
        assertFalse(verifier().isValid(ID, "yesterday", SIGNATURE, BODY));
        assertFalse(verifier().isValid(ID, TS, null, BODY));
    }
}
