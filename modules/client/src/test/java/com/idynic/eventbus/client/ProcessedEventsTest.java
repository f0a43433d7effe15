package com.idynic.eventbus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On a real PostgreSQL. */
class ProcessedEventsTest {
    @Test
    void anEventIsNewOncePerConsumerAndARolledBackMarkerDoesNotCount() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
                Connection c = pg.getPostgresDatabase().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute(ProcessedEvents.DDL);
            }
            c.setAutoCommit(false);
            boolean rolledBack = ProcessedEvents.firstTime(c, "billing", "evt-1");
            c.rollback();

            List<Boolean> seen = List.of(
                    ProcessedEvents.firstTime(c, "billing", "evt-1"),
                    ProcessedEvents.firstTime(c, "billing", "evt-1"),
                    ProcessedEvents.firstTime(c, "shipping", "evt-1"),
                    ProcessedEvents.firstTime(c, "billing", "evt-2"));
            c.commit();

            assertEquals(true, rolledBack);
            assertEquals(List.of(true, false, true, true), seen);
        }
    }
}
