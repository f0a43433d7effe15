package com.idynic.eventbus.storage;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** The bus database: applies the versioned migrations from {@code sql/} (packaged as {@code db/migration}) with Flyway and answers health pings. */
@ApplicationScoped
public class Database {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    private volatile boolean migrated;

    /** Migrates the schema to the newest version; safe to call on every start and from several servers. */
    public void migrate() {
        var result = Flyway.configure(Database.class.getClassLoader())
                .dataSource(ds)
                .locations("classpath:db/migration")
                .table("eb_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .failOnMissingLocations(true)
                .load()
                .migrate();
        migrated = true;
        LOG.info(summary(result));
    }

    /**
     * @return e.g. {@code schema at version 12, up to date} or {@code schema migrated from version 11 to version
     *     12 (1 migration applied)}
     */
    static String summary(MigrateResult result) {
        String before = result.initialSchemaVersion;
        if (result.migrationsExecuted == 0) {
            return "schema at version " + (before == null ? "none" : before) + ", up to date";
        }
        return "schema migrated from " + (before == null ? "an empty database" : "version " + before)
                + " to version " + result.targetSchemaVersion + " (" + result.migrationsExecuted
                + (result.migrationsExecuted == 1 ? " migration" : " migrations") + " applied)";
    }

    /** @return whether this server has brought the schema up to date since it started */
    public boolean migrated() {
        return migrated;
    }

    /** @return true when PostgreSQL answers a trivial query */
    public boolean ping() {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /**
     * Reads a run-time setting as the bus's connections see it, e.g. {@code setting("fsync")} is {@code on} or
     * {@code off}.
     *
     * @param name a PostgreSQL setting name such as {@code synchronous_commit}
     * @return its current value as PostgreSQL shows it
     * @since 0.1.0
     */
    public String setting(String name) {
        return Jdbc.autoCommit(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("select current_setting(?)")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }
}
