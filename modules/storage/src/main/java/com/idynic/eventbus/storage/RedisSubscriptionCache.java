package com.idynic.eventbus.storage;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.subscribers.Subscription;
import com.idynic.eventbus.subscribers.SubscriptionJson;
import com.idynic.eventbus.subscribers.Target;
import com.idynic.eventbus.subscribers.spi.SubscriptionCache;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Subscriptions shared through Redis: a hash {@code eventbus:subscriptions} (id to spec JSON, state
 * included, webhook secret left out: it stays encrypted in PostgreSQL) and a counter {@code
 * eventbus:subscriptions:version} bumped on every change. Short timeouts so an unreachable Redis costs a
 * poll, not a stall.
 */
public final class RedisSubscriptionCache implements SubscriptionCache, AutoCloseable {
    static final String HASH = "eventbus:subscriptions";
    static final String VERSION = "eventbus:subscriptions:version";

    private final JedisPooled redis;

    /** @param url e.g. {@code redis://127.0.0.1:6379}, with a password {@code redis://:secret@host:6379} */
    public RedisSubscriptionCache(String url) {
        URI u = URI.create(url);
        this.redis = new JedisPooled(
                new HostAndPort(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort()),
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(500)
                        .socketTimeoutMillis(1000)
                        .user(JedisURIHelper.getUser(u))
                        .password(JedisURIHelper.getPassword(u))
                        .build());
    }

    @Override
    public OptionalLong version() {
        String v = redis.get(VERSION);
        return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
    }

    @Override
    public List<Subscription> all() {
        List<Subscription> out = new ArrayList<>();
        for (Map.Entry<String, String> e : redis.hgetAll(HASH).entrySet()) {
            try (JsonReader r = CachedJson.createReader(new StringReader(e.getValue()))) {
                var o = r.readObject();
                Subscription s = SubscriptionJson.read(e.getKey(), o);
                Target t = s.target();
                out.add(s.withTarget(t.withSecret(null))
                        .withState(o.getString("state"), o.getString("disabledReason", null)));
            }
        }
        out.sort(Comparator.comparing(Subscription::id));
        return out;
    }

    @Override
    public void put(Subscription s) {
        redis.hset(HASH, s.id(), SubscriptionJson.write(s, false).toString());
        redis.incr(VERSION);
    }

    @Override
    public void remove(String id) {
        redis.hdel(HASH, id);
        redis.incr(VERSION);
    }

    @Override
    public void replaceAll(List<Subscription> all) {
        redis.del(HASH);
        if (!all.isEmpty()) {
            Map<String, String> m = new HashMap<>();
            all.forEach(s -> m.put(s.id(), SubscriptionJson.write(s, false).toString()));
            redis.hset(HASH, m);
        }
        redis.incr(VERSION);
    }

    @Override
    public String ping() {
        return redis.ping() + ", " + redis.hlen(HASH) + " subscriptions cached";
    }

    @Override
    public void close() {
        redis.close();
    }
}
