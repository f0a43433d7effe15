package com.idynic.eventbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void everyTimeIsWrittenInUtcWithExactlyThreeFractionDigits() {
        assertEquals("2026-12-06T10:27:58.000Z", Timestamps.format(Instant.parse("2026-12-06T10:27:58Z")));
        assertEquals("2026-12-06T10:27:58.700Z", Timestamps.format(Instant.parse("2026-12-06T10:27:58.7Z")));
        assertEquals("2026-12-06T10:27:58.123Z", Timestamps.format(Instant.parse("2026-12-06T10:27:58.123456789Z")));
        assertEquals(
                "2026-12-06T08:27:58.010Z", Timestamps.format(OffsetDateTime.parse("2026-12-06T10:27:58.01+02:00")));
    }
}
