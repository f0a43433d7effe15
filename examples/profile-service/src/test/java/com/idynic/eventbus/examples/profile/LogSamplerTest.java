package com.idynic.eventbus.examples.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogSamplerTest {
    @Test
    void theFirstLineGoesOutThenOnePerIntervalTellingHowManyWereHeldBack() {
        AtomicLong now = new AtomicLong(1_000);
        LogSampler lines = new LogSampler(100, now::get);

        long first = lines.quietSince();
        long second = lines.quietSince();
        now.addAndGet(99);
        long third = lines.quietSince();
        now.addAndGet(1);
        long fourth = lines.quietSince();
        long fifth = lines.quietSince();
        now.addAndGet(250);
        long sixth = lines.quietSince();

        assertEquals(List.of(0L, -1L, -1L, 2L, -1L, 1L), List.of(first, second, third, fourth, fifth, sixth));
    }
}
