package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's order rule: only publishes answered 202 are held to their publisher's order. */
class FaultVerdictTest {
    @TempDir
    Path dir;

    static FaultLedger.Sent sent(String id, long seq, int status) {
        Instant at = Instant.parse("2026-12-07T12:00:00Z").plusSeconds(seq);
        return new FaultLedger.Sent(id, "s", "k", seq, "t", at, at.plusMillis(10), status);
    }

    FaultVerdict verdict(FaultLedger ledger) {
        return FaultVerdict.of(ledger, "s", type -> Set.of("main"), Set.of("main"), null, null, null, null, "", "");
    }

    @Test
    void anAcceptedEventFirstDeliveredAfterItsSuccessorIsOutOfOrder() {
        FaultLedger ledger = new FaultLedger(dir);
        ledger.sent(sent("e0", 0, 202));
        ledger.sent(sent("e1", 1, 202));
        ledger.got("main", "e1", true);
        ledger.got("main", "e0", true);
        ledger.got("main", "e1", true);

        FaultVerdict v = verdict(ledger);
        assertEquals(List.of(1, 1, 0), List.of(v.outOfOrder(), v.duplicates(), v.lost()));
    }

    @Test
    void anUnansweredPublishCommittedAfterTheNextOneIsNotHeldToThePublishersOrder() {
        FaultLedger ledger = new FaultLedger(dir);
        ledger.sent(sent("e0", 0, 202));
        ledger.sent(sent("e1", 1, FaultLedger.NO_ANSWER));
        ledger.sent(sent("e2", 2, 202));
        ledger.got("main", "e0", true);
        ledger.got("main", "e2", true);
        ledger.got("main", "e1", true);

        FaultVerdict v = verdict(ledger);
        assertEquals(List.of(0, 0, 1), List.of(v.outOfOrder(), v.lost(), v.unanswered()));
    }
}
