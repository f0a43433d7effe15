package com.idynic.eventbus.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MissingRolesTest {
    @Test
    void aRefusalNamesTheRolesTheMethodNeedsAndThoseTheTokenCarries() {
        Map<String, Object> d = MissingRoles.details(List.of("publisher", "admin"), "subscriber"::equals);

        assertEquals(List.of("publisher", "admin"), d.get("requiredRoles"));
        assertEquals(List.of("subscriber"), d.get("tokenRoles"));
        assertEquals("the token does not carry a role this operation needs; get a new token", d.get("reason"));
        assertEquals(
                "The token carries none of the roles this operation needs (publisher or admin); get a new token",
                MissingRoles.message(List.of("publisher", "admin")));
    }

    @Test
    void withTheRequiredRolesUnknownTheRefusalStillSaysWhyAndWhatTheTokenCarries() {
        Map<String, Object> d = MissingRoles.details(null, role -> false);

        assertFalse(d.containsKey("requiredRoles"));
        assertEquals(List.of(), d.get("tokenRoles"));
        assertEquals("the token does not carry a role this operation needs; get a new token", d.get("reason"));
        assertEquals(
                "{\"status\":\"error\",\"errorCode\":\"FORBIDDEN\",\"message\":\"m\",\"details\":{\"reason\":\"the"
                        + " token does not carry a role this operation needs; get a new token\",\"tokenRoles\":[]}}",
                Errors.json("FORBIDDEN", "m", d));
    }
}
