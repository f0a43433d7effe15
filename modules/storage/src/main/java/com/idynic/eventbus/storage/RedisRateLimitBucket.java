package com.idynic.eventbus.storage;

import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.spi.RateLimitBucket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Token buckets in Redis ({@code eventbus:ratelimit:<service>}), refilled and taken in one Lua script
 * on Redis's own clock, so every server counts against the same bucket without clock agreement.
 */
public final class RedisRateLimitBucket implements RateLimitBucket, AutoCloseable {
    private static final String SCRIPT =
            """
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local count = tonumber(ARGV[3] or '1')
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(b[1])
            local at = tonumber(b[2])
            if tokens == nil or at == nil then tokens = burst; at = now end
            tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
            local wait = 0
            if tokens >= count then tokens = tokens - count else wait = math.ceil((count - tokens) / rate * 1000) end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
            return wait""";

    private final JedisPooled redis;
    private volatile String sha;

    /** @param url e.g. {@code redis://127.0.0.1:6379}, with a password {@code redis://:secret@host:6379} */
    public RedisRateLimitBucket(String url) {
        URI u = URI.create(url);
        this.redis = new JedisPooled(
                new HostAndPort(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort()),
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(300)
                        .socketTimeoutMillis(500)
                        .user(JedisURIHelper.getUser(u))
                        .password(JedisURIHelper.getPassword(u))
                        .build(),
                pool());
    }

    /**
     * Every publish takes a token, so the pool is sized for concurrent requests (Jedis's default of 8
     * connections made publishers queue for one).
     */
    private static redis.clients.jedis.ConnectionPoolConfig pool() {
        var config = new redis.clients.jedis.ConnectionPoolConfig();
        config.setMaxTotal(64);
        config.setMaxIdle(64);
        config.setMinIdle(2);
        return config;
    }

    /** Runs the script by its SHA (loaded once; again after a Redis restart) instead of sending it each time. */
    @Override
    public Duration take(String key, RateLimit limit) {
        return take(key, limit, 1);
    }

    @Override
    public Duration take(String key, RateLimit limit, int count) {
        List<String> keys = List.of("eventbus:ratelimit:" + key);
        List<String> args =
                List.of(String.valueOf(limit.perSecond()), String.valueOf(limit.burst()), String.valueOf(count));
        Object wait;
        try {
            wait = redis.evalsha(sha(), keys, args);
        } catch (JedisNoScriptException e) {
            sha = null;
            wait = redis.evalsha(sha(), keys, args);
        }
        return Duration.ofMillis(((Number) wait).longValue());
    }

    private String sha() {
        String s = sha;
        if (s == null) {
            s = redis.scriptLoad(SCRIPT);
            sha = s;
        }
        return s;
    }

    @Override
    public void close() {
        redis.close();
    }
}
