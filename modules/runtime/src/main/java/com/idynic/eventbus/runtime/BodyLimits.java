package com.idynic.eventbus.runtime;

/**
 * How much request body the API reads, per request and for all requests at once; read once from
 * MicroProfile Config by {@link SettingsWiring}, whose defaults live in {@code microprofile-config.properties}.
 *
 * @param eventBytes largest body of {@code POST /v1/events}, in bytes ({@code eventbus.publish.max-body-bytes})
 * @param batchBytes largest body of {@code POST /v1/events/batch}, in bytes
 *     ({@code eventbus.publish.max-batch-bytes})
 * @param batchEvents most events in one batch ({@code eventbus.publish.max-batch-events})
 * @param budgetBytes estimated heap all request bodies in flight may take together: the bytes read plus
 * 64 bytes per JSON value parsed ({@code eventbus.http.body-budget-bytes})
 */
public record BodyLimits(long eventBytes, long batchBytes, int batchEvents, long budgetBytes) {}
