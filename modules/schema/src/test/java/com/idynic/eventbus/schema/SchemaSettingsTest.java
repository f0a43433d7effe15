package com.idynic.eventbus.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchemaSettingsTest {
    @Test
    void rejectRefusesEventTypesWithoutASchema() {
        assertTrue(new SchemaSettings("reject").rejectsUnregistered());
    }

    @Test
    void allowAndAnyOtherValueAcceptThem() {
        assertFalse(new SchemaSettings("allow").rejectsUnregistered());
        assertFalse(new SchemaSettings("REJECT").rejectsUnregistered());
        assertFalse(new SchemaSettings("").rejectsUnregistered());
    }
}
