package com.idynic.eventbus.schema;

/**
 * The schema registry's rule for event types without a schema ({@code eventbus.schemas.unregistered}).
 *
 * @param unregistered {@code reject} refuses events of a type without a registered schema; any other value,
 *     e.g. {@code allow}, accepts them unvalidated
 * @since 0.8.0
 */
public record SchemaSettings(String unregistered) {
    /** @return whether events of a type without a schema are refused */
    public boolean rejectsUnregistered() {
        return "reject".equals(unregistered);
    }
}
