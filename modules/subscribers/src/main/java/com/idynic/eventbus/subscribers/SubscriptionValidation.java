package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.api.InvalidFieldException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/** The field rules a subscription must meet before it is stored, each failure naming its field. */
final class SubscriptionValidation {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Set<String> TARGETS = Set.of("pull", "webhook", "cdi");
    private static final Set<String> ORDERINGS = Set.of("ordered", "unordered");
    private static final Set<String> STATES = Set.copyOf(SubscriptionState.wireForms());
    /** An event id may still hold {@code /} here: events accepted before 0.4.0 could have one. */
    private static final Pattern START = Pattern.compile("latest|earliest|\\d{4}-.*|[A-Za-z0-9][A-Za-z0-9._:@/+=-]*");

    private SubscriptionValidation() {}

    /** @throws InvalidFieldException (a {@code VALIDATION_ERROR}) naming the first invalid field */
    static void validate(Subscription s) {
        if (s.id() == null || !ID.matcher(s.id()).matches()) {
            throw new InvalidFieldException("id", "must be 1-100 letters, digits, '.', '_' or '-'");
        }
        if (s.eventTypes().isEmpty()) {
            throw new InvalidFieldException("eventTypes", "must list at least one event type");
        }
        for (int i = 0; i < s.eventTypes().size(); i++) {
            String sel = s.eventTypes().get(i);
            if (!EventTypes.isSelector(sel)) {
                throw new InvalidFieldException(
                        "eventTypes[" + i + "]", "must be an event type, a 'prefix.*' pattern or '*'");
            }
        }
        oneOf("target.type", s.target().type(), TARGETS);
        oneOf("ordering", s.ordering(), ORDERINGS);
        oneOf("state", s.state(), STATES);
        if (s.startPosition() == null || !START.matcher(s.startPosition()).matches()) {
            throw new InvalidFieldException(
                    "startPosition", "must be 'latest', 'earliest', an ISO-8601 time or an event id");
        }
        if (s.startPosition().matches("\\d{4}-.*")) {
            try {
                OffsetDateTime.parse(s.startPosition());
            } catch (DateTimeParseException e) {
                throw new InvalidFieldException("startPosition", "is not an ISO-8601 time with offset");
            }
        }
    }

    private static void oneOf(String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new InvalidFieldException(
                    field, "must be one of " + allowed.stream().sorted().toList());
        }
    }

    /**
     * A webhook's URL must pass the guard; other targets have no URL.
     *
     * @throws InvalidFieldException naming {@code target.url} with the guard's reason
     */
    static void checkTarget(Subscription s, AddressGuard guard) {
        if (s.target().isPush()) {
            try {
                guard.check(s.target().url());
            } catch (AddressGuard.Refused e) {
                throw new InvalidFieldException("target.url", e.getMessage());
            }
        }
    }
}
