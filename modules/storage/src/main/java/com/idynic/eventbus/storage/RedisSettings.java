package com.idynic.eventbus.storage;

/**
 * Where Redis is ({@code eventbus.redis.url}): the shared subscription cache and rate-limit buckets.
 *
 * @param url e.g. {@code redis://127.0.0.1:6379}
 * @since 0.8.0
 */
public record RedisSettings(String url) {}
