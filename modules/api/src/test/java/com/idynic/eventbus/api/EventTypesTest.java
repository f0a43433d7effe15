package com.idynic.eventbus.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventTypesTest {
    @Test
    void exactPrefixAndWildcardSelectorsMatchAsDocumented() {
        assertTrue(EventTypes.matches("user.created", "user.created"));
        assertFalse(EventTypes.matches("user.created", "user.deleted"));
        assertTrue(EventTypes.matches("order.*", "order.placed"));
        assertFalse(EventTypes.matches("order.*", "orders.placed"));
        assertFalse(EventTypes.matches("order.*", "order"));
        assertTrue(EventTypes.matches("*", "anything.at.all"));
    }
}
