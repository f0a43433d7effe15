package com.idynic.eventbus.connector;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A channel's configuration as the runtime hands it over (channel attributes over the connector's), read typed. */
@FunctionalInterface
interface Attributes {
    /** @return the attribute's value, e.g. {@code get("subscription")}, or empty */
    Optional<String> get(String name);

    default String channel() {
        return get("channel-name").orElse("?");
    }

    default String required(String name) {
        return get(name)
                .filter(v -> !v.isBlank())
                .orElseThrow(() ->
                        new IllegalArgumentException("channel " + channel() + ": attribute " + name + " is required"));
    }

    default String text(String name, String otherwise) {
        return get(name).filter(v -> !v.isBlank()).map(String::trim).orElse(otherwise);
    }

    default int number(String name, int otherwise, int min, int max) {
        Optional<String> v = get(name).filter(s -> !s.isBlank());
        if (v.isEmpty()) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // refused below with the allowed range
        }
        throw new IllegalArgumentException(
                "channel " + channel() + ": attribute " + name + " must be " + min + "–" + max + ", got " + v.get());
    }

    default List<String> list(String name) {
        return get(name)
                .map(v -> Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    default <E extends Enum<E>> E choice(String name, E otherwise) {
        Optional<String> v = get(name).filter(s -> !s.isBlank());
        if (v.isEmpty()) {
            return otherwise;
        }
        for (E e : otherwise.getDeclaringClass().getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.get().trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("channel " + channel() + ": attribute " + name + " must be one of "
                + Arrays.toString(otherwise.getDeclaringClass().getEnumConstants())
                        .toLowerCase() + ", got "
                + v.get());
    }
}
