package com.idynic.eventbus.api;

import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayDeque;

/**
 * Bounds the numbers in JSON the bus reads to what an IEEE 754 double holds, as most JSON readers
 * downstream do; without it {@code 1e999999999} would be stored and relayed as {@code 1E+999999999}.
 * Accepted: finite numbers of magnitude at most {@link Double#MAX_VALUE}; refused also are non-zero
 * numbers a double reads as 0 ({@code 1e-400}) and zeros written with an exponent no double has
 * ({@code 0e999999}). Checked through {@link JsonNumber#doubleValue()}, which for an ordinary number
 * costs a cast or one division; exact decimal arithmetic runs only at the edges of the range.
 *
 * @since 0.4.0
 */
public final class JsonNumbers {
    private static final BigDecimal MAX = new BigDecimal(Double.MAX_VALUE);
    private static final int MAX_ZERO_EXPONENT = 400;

    private JsonNumbers() {}

    /**
     * Checks every number inside {@code value}, walking it without recursion.
     *
     * @param path the name of {@code value} from which a refused number is named, e.g. {@code data} gives
     *     {@code data.items[0].price}; empty for a whole request body (names start at its keys)
     * @param value any JSON value; never null
     * @throws InvalidFieldException {@code VALIDATION_ERROR} naming the first number a double cannot hold
     */
    public static void check(String path, JsonValue value) {
        ArrayDeque<JsonEntry> todo = new ArrayDeque<>();
        todo.push(JsonEntry.root(path, value));
        while (!todo.isEmpty()) {
            JsonEntry e = todo.pop();
            switch (e.value().getValueType()) {
                case OBJECT, ARRAY -> e.pushChildren(todo);
                case NUMBER -> check(e);
                default -> {}
            }
        }
    }

    /** @throws InvalidFieldException naming the entry when its number is out of range */
    static void check(JsonEntry e) {
        String refusal = refusal((JsonNumber) e.value());
        if (refusal != null) {
            throw new InvalidFieldException(e.path(), refusal);
        }
    }

    /** @return why a double cannot hold {@code n}, or null when it can */
    static String refusal(JsonNumber n) {
        double d = n.doubleValue();
        if (Double.isInfinite(d)
                || (Math.abs(d) == Double.MAX_VALUE && n.bigDecimalValue().abs().compareTo(MAX) > 0)) {
            return "is too large: numbers must fit a 64-bit floating-point number (magnitude at most "
                    + Double.MAX_VALUE + ")";
        }
        if (d == 0.0 && !n.isIntegral()) {
            BigDecimal b = n.bigDecimalValue();
            if (b.signum() != 0) {
                return "is too close to zero: a 64-bit floating-point number would read it as 0 (smallest"
                        + " magnitude " + Double.MIN_VALUE + ")";
            }
            if (Math.abs(b.scale()) > MAX_ZERO_EXPONENT) {
                return "has an exponent outside the range of a 64-bit floating-point number";
            }
        }
        return null;
    }
}
