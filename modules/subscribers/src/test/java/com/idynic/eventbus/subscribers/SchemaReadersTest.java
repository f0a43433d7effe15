package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaReadersTest {
    static Subscription reading(String id, Map<String, Integer> versions) {
        Subscription s = Subscription.pull(id, "svc", List.of("order.*"));
        return new Subscription(
                s.id(),
                s.owner(),
                s.eventTypes(),
                s.filter(),
                s.target(),
                s.ordering(),
                s.retryPolicy(),
                s.startPosition(),
                s.maxConcurrency(),
                s.maxRatePerSecond(),
                s.state(),
                s.disabledReason(),
                versions);
    }

    @Test
    void onlySubscriptionsReadingAVersionTheNewOneBreaksAreReported() {
        List<Integer> asked = new ArrayList<>();
        SchemaReaders readers = new SchemaReaders(() -> List.of(
                reading("s-unpinned", Map.of()),
                reading("s-other-type", Map.of("order.paid", 1)),
                reading("s-v1", Map.of("order.placed", 1)),
                reading("s-v2", Map.of("order.placed", 2))));
        List<SchemaReaders.Broken> broken = readers.brokenBy("order.placed", v -> {
            asked.add(v);
            return v == 1 ? List.of("required field 'total' removed") : List.of();
        });
        assertEquals(List.of(new SchemaReaders.Broken("s-v1", 1, List.of("required field 'total' removed"))), broken);
        assertEquals(List.of(1, 2), asked, "only pinned readers of the type are checked");
    }
}
