package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * devstack's control port stops and starts the dependencies, so it answers only requests that carry the token
 * from the env file, and only POST. A refused request must change nothing: Redis stays up for the other tests.
 */
class LauncherControlIT {
    static String base() {
        String base = Stack.env().get("DEVSTACK_CONTROL");
        assumeTrue(base != null, "devstack started no dependency");
        return base;
    }

    static HttpResponse<String> request(String method, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return Stack.raw(b.build());
    }

    static String token() {
        return "Bearer " + Stack.env().get("DEVSTACK_CONTROL_TOKEN");
    }

    /** Puts Redis back if a refused request stopped it after all (so a failure here fails only this test). */
    static void assertRedisStillRunning() {
        String status = Stack.control("redis", "status");
        if (!status.equals("redis running")) {
            Stack.control("redis", "start");
        }
        assertEquals("redis running", status, "a refused request stopped Redis");
    }

    @Test
    void aRequestWithoutTheTokenIsRefusedAndStopsNothing() {
        HttpResponse<String> r = request("POST", "/redis/stop", null);
        try {
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
        } finally {
            assertRedisStillRunning();
        }
    }

    @Test
    void aRequestWithAWrongTokenIsRefusedAndStopsNothing() {
        String wrong =
                "Bearer " + "A".repeat(Stack.env().get("DEVSTACK_CONTROL_TOKEN").length());
        HttpResponse<String> r = request("POST", "/redis/stop", wrong);
        try {
            assertEquals(401, r.statusCode(), r.body());
        } finally {
            assertRedisStillRunning();
        }
    }

    @Test
    void theAdminApiKeyIsNotTheControlToken() {
        HttpResponse<String> r = request("POST", "/redis/stop", "Bearer " + Stack.adminKey());
        try {
            assertEquals(401, r.statusCode(), r.body());
        } finally {
            assertRedisStillRunning();
        }
    }

    @Test
    void onlyPostIsAllowedEvenWithTheToken() {
        HttpResponse<String> r = request("GET", "/redis/status", token());
        assertEquals(405, r.statusCode(), r.body());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void aPostWithTheTokenIsServed() {
        HttpResponse<String> r = request("POST", "/redis/status", token());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("redis running", r.body());
    }
}
