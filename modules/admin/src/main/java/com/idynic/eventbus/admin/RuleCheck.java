package com.idynic.eventbus.admin;

import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.subscribers.AddressGuard;
import java.net.URI;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * What makes an alert rule valid: a name, a known metric with a threshold in its unit, a subscription that exists
 * for a metric that has one, a bounded hold time, and a notification URL the address guard lets the bus call.
 */
final class RuleCheck {
    private final AddressGuard guard;
    private final Predicate<String> subscriptionExists;

    RuleCheck(AddressGuard guard, Predicate<String> subscriptionExists) {
        this.guard = guard;
        this.subscriptionExists = subscriptionExists;
    }

    /** @throws InvalidFieldException naming the first invalid field */
    void check(RuleSpec spec) {
        if (spec.name() == null || spec.name().isBlank() || spec.name().length() > 200) {
            throw new InvalidFieldException("name", "is required: 1 to 200 characters");
        }
        if (spec.name().chars().anyMatch(Character::isISOControl)) {
            throw new InvalidFieldException("name", "must not contain control characters");
        }
        if (spec.metric() == null) {
            throw new InvalidFieldException("metric", "is required: one of " + metricIds());
        }
        if (spec.operator() == null) {
            throw new InvalidFieldException("operator", "is required: \">\" or \"<\"");
        }
        double t = spec.threshold();
        if (!Double.isFinite(t) || t < 0 || (spec.metric() == AlertMetric.DELIVERY_SUCCESS_RATE && t > 100)) {
            throw new InvalidFieldException(
                    "threshold",
                    spec.metric() == AlertMetric.DELIVERY_SUCCESS_RATE
                            ? "must be a percentage from 0 to 100"
                            : "must be a number of at least 0 (in " + unitName(spec.metric()) + ")");
        }
        if (spec.subscription() != null) {
            if (!spec.metric().perSubscription()) {
                throw new InvalidFieldException(
                        "subscription", "must be left out: " + spec.metric().id() + " is a figure of the whole bus");
            }
            if (!subscriptionExists.test(spec.subscription())) {
                throw new InvalidFieldException("subscription", "names no subscription");
            }
        }
        if (spec.holdFor() == null
                || spec.holdFor().isNegative()
                || spec.holdFor().compareTo(AlertRules.MAX_HOLD) > 0) {
            throw new InvalidFieldException("forSeconds", "must be between 0 and " + AlertRules.MAX_HOLD.toSeconds());
        }
        if (spec.notifyUrl() != null) {
            try {
                guard.check(URI.create(spec.notifyUrl()));
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("notify.url", "is not a valid URL");
            } catch (AddressGuard.Refused e) {
                throw new InvalidFieldException("notify.url", e.getMessage());
            }
        }
        if (spec.secret() != null) {
            if (spec.notifyUrl() == null) {
                throw new InvalidFieldException("notify.secret", "needs notify.url");
            }
            if (!validSecret(spec.secret())) {
                throw new InvalidFieldException(
                        "notify.secret", "must be 'whsec_' followed by base64 of at least 16 bytes");
            }
        }
    }

    private static boolean validSecret(String s) {
        if (!s.startsWith("whsec_") || s.length() > 200) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(s.substring(6)).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String unitName(AlertMetric m) {
        return switch (m.unit()) {
            case "ms" -> "milliseconds";
            case "s" -> "seconds";
            case "%" -> "percent";
            default -> "events";
        };
    }

    /** @return every metric's API name, comma-separated */
    static String metricIds() {
        return String.join(
                ", ", Arrays.stream(AlertMetric.values()).map(AlertMetric::id).toList());
    }
}
