package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    static MigrateResult result(String initial, String target, int executed) {
        MigrateResult r = new MigrateResult();
        r.initialSchemaVersion = initial;
        r.targetSchemaVersion = target;
        r.migrationsExecuted = executed;
        return r;
    }

    @Test
    void anUpToDateDatabaseIsReportedAtItsCurrentVersion() {
        assertEquals("schema at version 12, up to date", Database.summary(result("12", null, 0)));
    }

    @Test
    void aMigrationNamesTheVersionsBeforeAndAfter() {
        assertEquals(
                "schema migrated from version 11 to version 12 (1 migration applied)",
                Database.summary(result("11", "12", 1)));
        assertEquals(
                "schema migrated from an empty database to version 12 (12 migrations applied)",
                Database.summary(result(null, "12", 12)));
    }
}
