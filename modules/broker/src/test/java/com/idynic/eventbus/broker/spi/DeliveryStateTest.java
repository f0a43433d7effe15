package com.idynic.eventbus.broker.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeliveryStateTest {
    @Test
    void everyStoredStateParsesToTheStateOfThatName() {
        for (DeliveryState s : DeliveryState.values()) {
            assertEquals(s, DeliveryState.parse(s.name()));
        }
    }

    @Test
    void anUnknownOrMissingStateIsRefusedNamingIt() {
        for (String stored : Arrays.asList("dead", "PARKED", "", null)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> DeliveryState.parse(stored));
            assertEquals("not a delivery state: " + stored, e.getMessage());
        }
    }
}
