package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** {@code V027}: the Kafka positions already recorded on event rows move to their id rows on upgrade. */
class KafkaPositionMigrationTest {

    @Test
    void positionsRecordedBeforeTheUpgradeAreReadFromTheIdRowsAfterIt() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            DataSource ds = postgres.getPostgresDatabase();
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .table("eb_schema_history")
                    .target("26")
                    .load()
                    .migrate();
            for (String id : List.of("evt-sent", "evt-waiting")) {
                sql(ds, "insert into eb_event_id (id, accepted_at) values (?, now())", id);
                sql(
                        ds,
                        "insert into eb_event (id, event_type, source, occurred_at, payload, content_hash, receipt,"
                                + " accepted_at) select id, 'it.t', 'svc', now(), '{}', repeat('0', 64), 'rcpt',"
                                + " accepted_at from eb_event_id where id = ?",
                        id);
            }
            sql(
                    ds,
                    "update eb_event set kafka_topic = 'idynic.events', kafka_partition = 3, kafka_offset = 41"
                            + " where id = 'evt-sent'");

            Database database = new Database();
            database.ds = ds;
            database.migrate();

            assertEquals(
                    List.of("evt-sent idynic.events 3 41", "evt-waiting null null null"),
                    rows(
                            ds,
                            "select id || ' ' || coalesce(kafka_topic, 'null') || ' '"
                                    + " || coalesce(kafka_partition::text, 'null') || ' '"
                                    + " || coalesce(kafka_offset::text, 'null') from eb_event_id order by id"));
        }
    }

    private static void sql(DataSource ds, String sql, Object... params) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        }
    }

    private static List<String> rows(DataSource ds, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
