package com.idynic.eventbus.sdk;

/**
 * What one {@link EventBus} sent since it connected.
 *
 * @param requests batch requests sent, retries included
 * @param events events completed successfully (accepted or duplicate)
 * @param retries requests sent again after a network error, 401, 429 or 503
 * @since 0.3.0
 */
public record PublishStats(long requests, long events, long retries) {}
