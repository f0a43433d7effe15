package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Publishes a probe unless the last one is still on its way; a probe dispatched before this server's view of
     * the subscriptions (at most {@code maxStaleness} old) held the new one reaches only the earlier subscription
     * (both delivery rows are written in one statement), so another is sent.
     *
     * @return whether the last probe was delivered to both subscriptions
     */
    static boolean reachedBoth(List<String> probes, String type, String before, String during) {
        if (!probes.isEmpty()) {
            String last = probes.get(probes.size() - 1);
            String earlier = Subscriptions.state(last, before);
            String created = Subscriptions.state(last, during);
            if (earlier.equals("DELIVERED") && created.equals("DELIVERED")) {
                return true;
            }
            if (!earlier.equals("DELIVERED") || !created.equals("NONE")) {
                return false;
            }
        }
        probes.add(Subscriptions.publish(type, null, "{\"n\":" + (probes.size() + 2) + "}"));
        return false;
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
            List<String> probes = new ArrayList<>();
            await(
                    Duration.ofSeconds(30),
                    "an event published now reaches the subscription created without Redis and the earlier one",
                    () -> reachedBoth(probes, type, before, during));
            String e2 = probes.get(probes.size() - 1);
            assertEquals(1, receiver.calls("/" + before, e1).size());
            assertEquals(1, receiver.calls("/" + before, e2).size());
            assertEquals(1, receiver.calls("/" + during, e2).size());
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
