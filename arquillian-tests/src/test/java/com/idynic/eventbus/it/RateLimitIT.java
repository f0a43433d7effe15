package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Per-service publish rate limits: a token bucket in Redis shared by every server, per server while Redis is down. */
class RateLimitIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static String publisher(String name, String limit) {
        return Stack.token(
                AuthIT.service(name, "{\"roles\":[\"publisher\"],\"publish\":[\"it.rate.*\"]" + limit + "}"));
    }

    static HttpResponse<String> publish(String name, String token) {
        return AuthIT.call(
                "POST",
                "/v1/events",
                token,
                "{\"id\":\"" + Stack.newId("evt-rate-") + "\",\"eventType\":\"it.rate.tick\",\"source\":\"" + name
                        + "\",\"data\":{}}");
    }

    static List<Integer> burst(String name, String token, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = publish(name, token);
            out.add(r.statusCode());
            if (r.statusCode() == 429) {
                assertEquals("RATE_LIMITED", json(r).getString("errorCode"), r.body());
                long retry =
                        Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
                assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
            }
        }
        return out;
    }

    @Test
    void aBurstOverTheLimitGets429WithRetryAfterWhileOtherServicesPublishOn() {
        String slow = "it-slow-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "it-fast-" + UUID.randomUUID().toString().substring(0, 8);
        String slowToken = publisher(slow, ",\"rateLimit\":{\"perSecond\":0.2,\"burst\":3}");
        String otherToken = publisher(other, "");
        List<Integer> statuses = burst(slow, slowToken, 6);
        assertEquals(List.of(202, 202, 202, 429, 429, 429), statuses);
        assertEquals(List.of(202, 202, 202, 202, 202, 202), burst(other, otherToken, 6), "other services unaffected");
    }

    @Test
    void a429SaysTooManyRequestsInItsStatusLine() throws Exception {
        String name = "it-phrase-" + UUID.randomUUID().toString().substring(0, 8);
        String token = publisher(name, ",\"rateLimit\":{\"perSecond\":0.2,\"burst\":1}");
        assertEquals(202, publish(name, token).statusCode());
        String body = "{\"id\":\"" + Stack.newId("evt-rate-") + "\",\"eventType\":\"it.rate.tick\",\"source\":\"" + name
                + "\",\"data\":{}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        URI base = URI.create(Stack.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/events HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer "
                            + token + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            String statusLine = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
            assertEquals("HTTP/1.1 429 Too Many Requests", statusLine);
        }
    }

    @Test
    void theBucketLivesInRedisSoEveryServerSharesIt() {
        String name = "it-shared-" + UUID.randomUUID().toString().substring(0, 8);
        String token = publisher(name, ",\"rateLimit\":{\"perSecond\":0.2,\"burst\":5}");
        assertEquals(202, publish(name, token).statusCode());
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(Stack.env().get("EVENTBUS_REDIS_URL")))) {
            String key = "eventbus:ratelimit:" + name;
            assertTrue(Double.parseDouble(redis.hget(key, "tokens")) < 5, "the bus counted in Redis");
            // another server (or another client of the same Redis) used up the rest of the bucket
            redis.hset(key, "tokens", "0");
        }
        assertEquals(429, publish(name, token).statusCode(), "this server sees what the other one used");
    }

    @Test
    void withRedisDownLimitsHoldPerServerAndPublishNeverFails() {
        String name = "it-local-" + UUID.randomUUID().toString().substring(0, 8);
        String token = publisher(name, ",\"rateLimit\":{\"perSecond\":0.2,\"burst\":3}");
        Stack.control("redis", "stop");
        try {
            assertEquals(List.of(202, 202, 202, 429, 429), burst(name, token, 5));
        } finally {
            Stack.control("redis", "start");
        }
        Stack.await(
                java.time.Duration.ofSeconds(30),
                "Redis back in readiness",
                () -> Stack.get("/health/ready").statusCode() == 200);
    }
}
