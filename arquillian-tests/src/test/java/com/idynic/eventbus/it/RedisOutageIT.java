package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/** Redis (the shared subscription cache) goes away during delivery and comes back empty. */
class RedisOutageIT {
    @RegisterExtension
    static final WebhookReceiver receiver = new WebhookReceiver();

    static Map<String, String> cached() {
        URI u = URI.create(Stack.env().get("EVENTBUS_REDIS_URL"));
        try (JedisPooled j = new JedisPooled(u)) {
            return j.hgetAll("eventbus:subscriptions");
        }
    }

    @Test
    void deliveryContinuesWithoutRedisAndTheCacheResyncsWhenItReturns() {
        assumeTrue(Stack.env().get("DEVSTACK_CONTROL") != null);
        String type = WebhookIT.unique("it.redis.t");
        String before = WebhookIT.unique("before-");
        String during = WebhookIT.unique("during-");
        Subscriptions.webhook(before, type, receiver.url("/" + before), "ordered", 5);
        await(Duration.ofSeconds(10), "subscription shared through Redis", () -> cached().containsKey(before));

        Stack.control("redis", "stop");
        try {
            await(Duration.ofSeconds(30), "readiness reports Redis DOWN", () -> OutageIT.readiness("redis")
                    .equals("DOWN"));
            String e1 = Subscriptions.publish(type, null, "{\"n\":1}");
            await(Duration.ofSeconds(30), "delivered without Redis", () -> Subscriptions.state(e1, before)
                    .equals("DELIVERED"));
            Subscriptions.webhook(during, type, receiver.url("/" + during), "ordered", 5);
            await(
                    Duration.ofSeconds(5),
                    "the new subscription is active",
                    () -> Stack.get("/v1/subscriptions/" + during).statusCode() == 200);
            Thread.sleep(1500);
            String e2 = Subscriptions.publish(type, null, "{\"n\":2}");
            await(
                    Duration.ofSeconds(30),
                    "both subscriptions served from PostgreSQL",
                    () -> Subscriptions.state(e2, before).equals("DELIVERED")
                            && Subscriptions.state(e2, during).equals("DELIVERED"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Stack.control("redis", "start");
        }
        await(Duration.ofSeconds(30), "the cache is rewritten from PostgreSQL", () -> {
            Map<String, String> c = cached();
            return c.containsKey(before) && c.containsKey(during);
        });
        await(Duration.ofSeconds(30), "readiness reports Redis UP", () -> OutageIT.readiness("redis")
                .equals("UP"));
        String e3 = Subscriptions.publish(type, null, "{\"n\":3}");
        await(Duration.ofSeconds(30), "delivered with Redis back", () -> Subscriptions.state(e3, during)
                .equals("DELIVERED"));
        assertEquals(1, receiver.calls("/" + during, e3).size());
    }
}
