/**
 * The bus from another process: {@link com.idynic.eventbus.sdk.EventBus#connect(String, String)} exchanges an API
 * key for tokens, {@code publish} batches concurrent calls into one request, {@code subscribe} pulls and acks,
 * and {@link com.idynic.eventbus.sdk.WebhookVerifier} checks a webhook delivery's signature on its raw body.
 *
 * @since 0.3.0
 */
package com.idynic.eventbus.sdk;
