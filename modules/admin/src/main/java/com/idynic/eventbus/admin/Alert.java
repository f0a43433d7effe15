package com.idynic.eventbus.admin;

import java.time.Instant;

/**
 * An active alert: a rule that is firing.
 *
 * @param rule the rule
 * @param since when it fired
 * @param value the metric's value now, or null when it has none
 * @since 0.19.0
 */
public record Alert(AlertRule rule, Instant since, Double value) {}
