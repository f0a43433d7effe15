package com.idynic.eventbus.admin;

import java.time.Duration;

/**
 * What an operator gives to create or replace an alert rule.
 *
 * @param name what the operator calls it, 1 to 200 characters
 * @param metric what it watches
 * @param operator how the value compares with the threshold
 * @param threshold in the metric's unit; a finite number, 0 to 100 for a success rate, at least 0 otherwise
 * @param subscription the subscription watched, or null for the whole bus
 * @param holdFor how long the condition must hold before the rule fires, 0 to 24 hours
 * @param enabled whether the rule is evaluated
 * @param notifyUrl where notifications go (checked by the address guard), or null for none
 * @param secret the {@code whsec_} signing secret to use, or null to keep the rule's (a new one is generated when
 *     it has none)
 * @since 0.19.0
 */
public record RuleSpec(
        String name,
        AlertMetric metric,
        AlertRule.Comparison operator,
        double threshold,
        String subscription,
        Duration holdFor,
        boolean enabled,
        String notifyUrl,
        String secret) {}
