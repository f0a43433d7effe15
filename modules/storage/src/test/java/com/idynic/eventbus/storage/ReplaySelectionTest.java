package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.idynic.eventbus.subscribers.Filter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplaySelectionTest {
    @Test
    void theEverythingSelectorAddsNoTypeCondition() {
        List<Object> params = new ArrayList<>();
        String where = ReplaySelection.where(3, 9, List.of("order.*", "*"), List.of(), Filter.NONE, params);
        assertEquals("e.seq > ? and e.seq <= ?", where);
        assertEquals(List.of(3L, 9L), params);
    }

    @Test
    void prefixSelectorsBecomeEscapedLikePatternsBesideExactTypes() {
        List<Object> params = new ArrayList<>();
        String where =
                ReplaySelection.where(0, 5, List.of("order_v2.*", "user.created"), List.of(), Filter.NONE, params);
        assertEquals("e.seq > ? and e.seq <= ? and (e.event_type = any(?) or e.event_type like any(?))", where);
        assertEquals(4, params.size());
        assertArrayEquals(new String[] {"user.created"}, (String[]) params.get(2));
        assertArrayEquals(new String[] {"order\\_v2.%"}, (String[]) params.get(3));
    }

    @Test
    void aNarrowingAddsItsOwnTypeCondition() {
        List<Object> params = new ArrayList<>();
        String where = ReplaySelection.where(0, 5, List.of("*"), List.of("order.*"), Filter.NONE, params);
        assertEquals("e.seq > ? and e.seq <= ? and e.event_type like any(?)", where);
        assertArrayEquals(new String[] {"order.%"}, (String[]) params.get(2));
    }
}
