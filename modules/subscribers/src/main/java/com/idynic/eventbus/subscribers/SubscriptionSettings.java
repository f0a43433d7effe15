package com.idynic.eventbus.subscribers;

import java.time.Duration;

/**
 * Limits and defaults of subscriptions ({@code eventbus.subscriptions.*}, {@code eventbus.webhook.*},
 * {@code eventbus.replay.default-rate}).
 *
 * @param maxPerService most subscriptions one service may own, e.g. 100
 * @param maxStaleness how old a cached subscription may be before it is read again, e.g. 1 s
 * @param webhookAllow private webhook targets allowed, in {@link AddressGuard#parse(String)} form; empty: none
 * @param webhookDeny webhook targets refused whatever the allow-list says, same form; empty: none
 * @param replayDefaultRate events per second of a replay that sets no rate, e.g. 100
 * @since 0.8.0
 */
public record SubscriptionSettings(
        int maxPerService, Duration maxStaleness, String webhookAllow, String webhookDeny, double replayDefaultRate) {}
