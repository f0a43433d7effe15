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

    /** The selector that selects every event type. */
    public static final String ALL = "*";

    /**
     * @param selector a selector
     * @return the prefix a {@code prefix.*} selector selects by, with its dot ({@code "order."} for {@code
     *     order.*}); null for an exact type or {@link #ALL}
     */
    public static String prefixOf(String selector) {
        return selector.endsWith(".*") ? selector.substring(0, selector.length() - 1) : null;
    }

    /**
     * @param selector exact type, {@code prefix.*} or {@code *}
     * @param eventType a concrete type
     * @return whether the selector selects the type
     */
    public static boolean matches(String selector, String eventType) {
        if (ALL.equals(selector)) {
            return true;
        }
        String prefix = prefixOf(selector);
        return prefix != null ? eventType.startsWith(prefix) : selector.equals(eventType);
    }

    /**
     * @param a a selector
     * @param b a selector
     * @return whether some type is selected by both ({@code order.*} and {@code order.placed.*} overlap,
     *     {@code order.*} and {@code user.created} do not)
     */
    public static boolean overlap(String a, String b) {
        if (ALL.equals(a) || ALL.equals(b)) {
            return true;
        }
        String pa = prefixOf(a);
        String pb = prefixOf(b);
        if (pa != null && pb != null) {
            return pa.startsWith(pb) || pb.startsWith(pa);
        }
        if (pa != null) {
            return matches(a, b);
        }
        if (pb != null) {
            return matches(b, a);
        }
        return a.equals(b);
    }

    /**
     * @param granted a selector a permission grants
     * @param selector a selector asked for
     * @return whether every type {@code selector} selects is also selected by {@code granted} ({@code order.*}
     *     covers {@code order.placed} and {@code order.placed.*}, not {@code *})
     */
    public static boolean covers(String granted, String selector) {
        if (ALL.equals(granted)) {
            return true;
        }
        if (ALL.equals(selector)) {
            return false;
        }
        String prefix = prefixOf(selector);
        if (prefix != null) {
            String grantedPrefix = prefixOf(granted);
            return grantedPrefix != null && prefix.startsWith(grantedPrefix);
        }
        return matches(granted, selector);
    }
}
