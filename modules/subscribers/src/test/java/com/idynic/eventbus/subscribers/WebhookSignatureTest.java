package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void matchesTheStandardWebhooksReferenceVector() {
        assertEquals(
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSignature.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "{\"test\": 2432232314}"));
    }

    @Test
    void verifiesOnlyTheUntamperedBody() {
        String sig = WebhookSignature.sign(SECRET, "evt-1", "1700000000", "{\"a\":1}");
        assertTrue(WebhookSignature.verify(SECRET, "evt-1", "1700000000", "{\"a\":1}", "v1,bogus " + sig));
        assertFalse(WebhookSignature.verify(SECRET, "evt-1", "1700000000", "{\"a\":2}", sig));
        assertFalse(WebhookSignature.verify(SECRET, "evt-1", "1700000001", "{\"a\":1}", sig));
    }
}
