package com.idynic.eventbus.api;

/**
 * Event-type selectors: an exact type ({@code user.created}), a prefix pattern ({@code order.*}) or
 * everything ({@code *}).
 *
 * @since 0.1.0
 */
public final class EventTypes {
    /**
     * The grammar of an event type: letters and digits, parts joined by single {@code .}, {@code _} or {@code
     * -} ({@code user.created}, {@code Misc}, {@code order_v2-placed}).
     */
    public static final String TYPE_GRAMMAR = "[A-Za-z0-9]+([._-][A-Za-z0-9]+)*";

    /** The grammar of a selector: {@code *}, an exact type, or a type followed by {@code .*}. */
    public static final String SELECTOR_GRAMMAR = "\\*|" + TYPE_GRAMMAR + "(\\.\\*)?";

    /** Longest event type or selector, in characters. */
    public static final int MAX_LENGTH = 200;

    private static final java.util.regex.Pattern TYPE = java.util.regex.Pattern.compile(TYPE_GRAMMAR);
    private static final java.util.regex.Pattern SELECTOR = java.util.regex.Pattern.compile(SELECTOR_GRAMMAR);

    private EventTypes() {}

    /** @return whether {@code s} is an exact event type (grammar and length) */
    public static boolean isType(String s) {
        return s != null && s.length() <= MAX_LENGTH && TYPE.matcher(s).matches();
    }

    /** @return whether {@code s} is a selector: {@code *}, an exact type or {@code prefix.*} (grammar and length) */
    public static boolean isSelector(String s) {
        return s != null && s.length() <= MAX_LENGTH && SELECTOR.matcher(s).matches();
    }

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
