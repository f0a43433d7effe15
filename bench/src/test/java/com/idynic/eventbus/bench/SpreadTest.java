package com.idynic.eventbus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {
    @Test
    void clientsAlternateBetweenTwoServersStartingWithTheFirst() {
        List<String> servers = List.of("first", "second");
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            picked.add(Spread.serverOf(i, servers));
        }

        assertEquals(List.of("first", "second", "first", "second", "first"), picked);
    }

    @Test
    void oneServerTakesEveryClient() {
        assertEquals("only", Spread.serverOf(31, List.of("only")));
        assertEquals(List.of(32), Spread.clientsPerServer(32, 1));
    }

    @Test
    void thirtyTwoClientsSplitSixteenAndSixteenAndAnOddCountGivesTheFirstOneMore() {
        assertEquals(List.of(16, 16), Spread.clientsPerServer(32, 2));
        assertEquals(List.of(4, 4), Spread.clientsPerServer(8, 2));
        assertEquals(List.of(3, 2), Spread.clientsPerServer(5, 2));
    }

    @Test
    void theFactoryOpensEachClientForItsServer() throws Exception {
        List<String> opened = new ArrayList<>();
        ClosedLoop.Factory f = Spread.over(List.of("a", "b"), (server, i) -> {
            opened.add(i + "@" + server);
            return () -> 202;
        });
        for (int i = 0; i < 4; i++) {
            f.open(i);
        }

        assertEquals(List.of("0@a", "1@b", "2@a", "3@b"), opened);
    }
}
