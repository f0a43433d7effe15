package com.idynic.eventbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

    @Test
    void theGrammarOfTypesAndSelectorsLivesHere() {
        for (String ok : List.of("user.created", "Misc", "order_v2-placed", "a")) {
            assertTrue(EventTypes.isType(ok), ok);
            assertTrue(EventTypes.isSelector(ok), ok);
        }
        for (String bad :
                List.of("", "user created", "user..created", ".user", "user.", "order.*", "*", "x".repeat(201))) {
            assertFalse(EventTypes.isType(bad), bad);
        }
        assertTrue(EventTypes.isSelector("order.*"));
        assertTrue(EventTypes.isSelector("*"));
        assertFalse(EventTypes.isSelector("order*"));
        assertFalse(EventTypes.isSelector("*.created"));
        assertFalse(EventTypes.isSelector(null));
    }

    @Test
    void aPrefixSelectorNamesItsPrefixWithTheDotAndOtherSelectorsNone() {
        assertEquals("order.", EventTypes.prefixOf("order.*"));
        assertEquals("order.placed.", EventTypes.prefixOf("order.placed.*"));
        assertNull(EventTypes.prefixOf("order.placed"));
        assertNull(EventTypes.prefixOf("*"));
    }

    @Test
    void twoSelectorsOverlapWhenSomeTypeIsSelectedByBoth() {
        assertTrue(EventTypes.overlap("*", "user.deleted"));
        assertTrue(EventTypes.overlap("order.placed", "*"));
        assertTrue(EventTypes.overlap("order.*", "order.placed.*"));
        assertTrue(EventTypes.overlap("order.placed.*", "order.*"));
        assertTrue(EventTypes.overlap("order.*", "order.placed"));
        assertTrue(EventTypes.overlap("order.placed", "order.*"));
        assertTrue(EventTypes.overlap("order.placed", "order.placed"));
        assertFalse(EventTypes.overlap("order.*", "orders.*"));
        assertFalse(EventTypes.overlap("order.*", "user.created"));
        assertFalse(EventTypes.overlap("user.created", "order.*"));
        assertFalse(EventTypes.overlap("order.placed", "order.paid"));
    }

    @Test
    void aGrantCoversASelectorWhenItSelectsEveryTypeTheSelectorSelects() {
        assertTrue(EventTypes.covers("*", "*"));
        assertTrue(EventTypes.covers("*", "order.*"));
        assertTrue(EventTypes.covers("order.*", "order.placed"));
        assertTrue(EventTypes.covers("order.*", "order.placed.*"));
        assertTrue(EventTypes.covers("order.*", "order.*"));
        assertTrue(EventTypes.covers("order.placed", "order.placed"));
        assertFalse(EventTypes.covers("order.*", "*"));
        assertFalse(EventTypes.covers("order.placed", "order.*"));
        assertFalse(EventTypes.covers("order.placed.*", "order.*"));
        assertFalse(EventTypes.covers("order.*", "orders.placed"));
        assertFalse(EventTypes.covers("order.placed", "order.paid"));
    }
}
