package com.idynic.eventbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoTimestampsTest {
    @Test
    void theFormsEventsCarryTakeTheFastPathAndGiveWhatTheJdkGives() {
        for (String s : List.of(
                "2023-05-20T13:45:30Z",
                "2023-05-20T13:45:30.1Z",
                "2023-05-20T13:45:30.123Z",
                "2026-12-07T17:51:00.123456789Z",
                "2023-05-20T13:45:30+02:00",
                "2023-05-20T13:45:30.5-05:30",
                "2023-05-20T13:45:30+00:00",
                "2023-05-20T13:45:30-00:00",
                "2024-02-29T23:59:59.999999999+18:00")) {
            OffsetDateTime fast = IsoTimestamps.fast(s);
            assertNotNull(fast, s);
            assertEquals(OffsetDateTime.parse(s), fast, s);
            assertEquals(OffsetDateTime.parse(s).getOffset(), fast.getOffset(), s);
        }
    }

    @Test
    void everyOtherFormGoesToTheJdkWithItsResultOrItsException() {
        for (String s : List.of(
                "2023-05-20t13:45:30z",
                "2023-05-20T13:45Z",
                "2023-05-20T13:45:30.Z",
                "2023-05-20T13:45:30.1234567890Z",
                "2023-05-20T13:45:30+01:00:30",
                "2023-05-20T24:00:00Z",
                "2023-02-30T13:45:30Z",
                "2023-05-20T13:45:30+19:00",
                "+12023-05-20T13:45:30Z",
                "2023-05-20 13:45:30Z",
                "2023-05-20T13:45:30",
                "2023-5-20T13:45:30Z",
                "yesterday")) {
            assertNull(IsoTimestamps.fast(s), s);
            assertEquals(outcome(() -> OffsetDateTime.parse(s)), outcome(() -> IsoTimestamps.parse(s)), s);
        }
    }

    @Test
    void randomInstantsInEveryOffsetAndPrecisionAgreeWithTheJdk() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((r.nextInt(4 * 18 + 1) - 4 * 9) * 15 * 60);
            String s = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atOffset(offset));
            assertEquals(OffsetDateTime.parse(s), IsoTimestamps.fast(s), s);
        }
    }

    private static String outcome(java.util.function.Supplier<OffsetDateTime> parse) {
        try {
            return "ok " + parse.get();
        } catch (DateTimeException e) {
            return e.getClass().getSimpleName();
        }
    }
}
