package com.idynic.eventbus.api;

/**
 * Event-type selectors: an exact type ({@code user.created}), a prefix pattern ({@code order.*}) or
 * everything ({@code *}).
 *
 * @since 0.1.0
 */
public final class EventTypes {
    private EventTypes() {}

    /**
     * @param selector exact type, {@code prefix.*} or {@code *}
     * @param eventType a concrete type
     * @return whether the selector selects the type
     */
    public static boolean matches(String selector, String eventType) {
        if ("*".equals(selector)) {
            return true;
        }
        if (selector.endsWith(".*")) {
            return eventType.startsWith(selector.substring(0, selector.length() - 1));
        }
        return selector.equals(eventType);
    }
}
