package com.idynic.eventbus.admin;

/**
 * One subscription's figures.
 *
 * @param subscriptionId the subscription
 * @param figures its delivery figures
 * @param circuit its webhook circuit on this server: {@code closed}, {@code open} or {@code half-open}; null for
 *     pull subscriptions and webhooks this server has not called yet
 * @since 0.19.0
 */
public record SubscriptionFigures(String subscriptionId, DeliveryFigures figures, String circuit) {}
