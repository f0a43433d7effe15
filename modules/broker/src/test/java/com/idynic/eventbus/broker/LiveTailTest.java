package com.idynic.eventbus.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.spi.EventSearch;
import com.idynic.eventbus.broker.spi.StoredEvent;
import com.idynic.eventbus.testing.SettableClock;
import jakarta.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LiveTailTest {
    static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    final SettableClock clock = new SettableClock(T);
    final List<EventSearch.Criteria> asked = new ArrayList<>();
    int found = 3;
    final EventSearch search = c -> {
        asked.add(c);
        return LongStream.rangeClosed(c.afterSeq() + 1, c.afterSeq() + Math.min(found, c.limit()))
                .mapToObj(s -> new EventSearch.Hit(
                        s,
                        new StoredEvent(
                                EventEnvelope.of(
                                        "evt-" + s,
                                        "it.tail",
                                        "svc",
                                        Json.createObjectBuilder().build()),
                                null,
                                true,
                                null),
                        List.of()))
                .toList();
    };
    final LiveTail tail = new LiveTail(new EventQueries(null, null, search), clock);

    @Test
    void aTailReadsTheEventsSinceItOpenedAndThenOnlyNewerOnes() {
        LiveTail.Cursor c = tail.open(" order.placed ");

        LiveTail.Read first = tail.next(c);

        assertEquals(
                List.of(1L, 2L, 3L),
                first.hits().stream().map(EventQueries.Hit::seq).toList());
        assertEquals(
                new EventSearch.Criteria("order.placed", null, null, T, null, 0, LiveTail.MAX_ROWS, null),
                asked.get(0));
        clock.set(T.plusSeconds(2));
        tail.next(first.next());
        assertEquals(3, asked.get(1).afterSeq(), "continues after the last event shown");
    }

    @Test
    void aReadWithinTheMinimumIntervalReadsNothing() {
        LiveTail.Read first = tail.next(tail.open(null));
        clock.set(T.plusMillis(1999));

        LiveTail.Read again = tail.next(first.next());

        assertTrue(again.throttled());
        assertEquals(List.of(), again.hits());
        assertEquals(1, asked.size(), "nothing was read");
        assertEquals(first.next(), again.next());
    }

    @Test
    void aReadReturnsAtMostFiftyAndSaysMoreWait() {
        found = 80;
        LiveTail.Read r = tail.next(tail.open(null));

        assertEquals(LiveTail.MAX_ROWS, r.hits().size());
        assertTrue(r.capped());
        found = 3;
        clock.set(T.plusSeconds(2));
        assertFalse(tail.next(r.next()).capped());
    }
}
