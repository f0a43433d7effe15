package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.client.EventPublisher;
import com.idynic.eventbus.client.internal.ObservedTypes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.transaction.UserTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In-container (Arquillian, servlet protocol) on the running Liberty: the client's publisher joins the
 * caller's JTA transaction through the bus's server-level DataSource.
 */
@ExtendWith(ArquillianExtension.class)
class TransactionalPublishIT {
    @Deployment
    static WebArchive deployment() {
        JavaArchive client = ShrinkWrap.create(JavaArchive.class, "eventbus-client.jar")
                .addPackages(
                        true, "com.idynic.eventbus.client", "com.idynic.eventbus.api", "com.idynic.eventbus.schema")
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsServiceProvider(Extension.class, ObservedTypes.class);
        return ShrinkWrap.create(WebArchive.class, "tx-publish-it.war")
                .addAsLibraries(client)
                .addAsLibraries(jarsOf(
                        com.networknt.schema.JsonSchema.class,
                        com.fasterxml.jackson.databind.ObjectMapper.class,
                        com.fasterxml.jackson.core.JsonFactory.class,
                        com.fasterxml.jackson.annotation.JsonProperty.class,
                        com.fasterxml.jackson.dataformat.yaml.YAMLFactory.class,
                        org.yaml.snakeyaml.Yaml.class,
                        com.ethlo.time.ITU.class,
                        org.slf4j.Logger.class))
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    /** The schema validator's third-party jars, taken from the test class path. */
    static JavaArchive[] jarsOf(Class<?>... classes) {
        return java.util.Arrays.stream(classes)
                .map(c -> {
                    try {
                        java.io.File jar = new java.io.File(c.getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
                        return ShrinkWrap.createFromZipFile(JavaArchive.class, jar);
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toArray(JavaArchive[]::new);
    }

    @Inject
    EventPublisher publisher;

    UserTransaction tx;
    DataSource ds;

    @BeforeEach
    void lookUp() throws Exception {
        InitialContext jndi = new InitialContext();
        tx = (UserTransaction) jndi.lookup("java:comp/UserTransaction");
        ds = (DataSource) jndi.lookup("jdbc/eventbus");
    }

    EventEnvelope order(String id) {
        return EventEnvelope.of(
                id,
                "order.placed",
                "order-service",
                Json.createObjectBuilder()
                        .add("orderId", "ord-1")
                        .add("customerId", "cust-1")
                        .add("totalAmount", 4200)
                        .build(),
                Json.createObjectBuilder().add("partitionKey", "cust-1").build());
    }

    long rows(String table, String column, String id) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select count(*) from " + table + " where " + column + " = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void rollingBackTheCallersTransactionLeavesNoEvent() throws Exception {
        String id = "evt-tx-" + UUID.randomUUID();
        tx.begin();
        publisher.publish(order(id));
        assertEquals(1, rows("eb_event", "id", id), "visible inside the transaction");
        tx.rollback();
        assertEquals(0, rows("eb_event", "id", id));
        assertEquals(0, rows("eb_outbox", "event_id", id));
    }

    /** @return whether the relay has sent the event to Kafka (it records the position and removes the outbox row) */
    boolean relayed(String id) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select e.kafka_offset is not null"
                        + " and not exists (select 1 from eb_outbox o where o.event_id = e.id)"
                        + " from eb_event_id e where e.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    @Test
    void committingTheCallersTransactionKeepsTheEventAndItsOutboxRowWhichTheRelaySends() throws Exception {
        String id = "evt-tx-" + UUID.randomUUID();
        tx.begin();
        PublishReceipt r = publisher.publish(order(id));
        assertEquals(1, rows("eb_outbox", "event_id", id), "the outbox row is written in the caller's transaction");
        tx.commit();
        assertEquals(id, r.eventId());
        assertEquals(1, rows("eb_event", "id", id));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!relayed(id)) {
            assertTrue(System.nanoTime() < deadline, "the relay sent the committed outbox row to Kafka within 30 s");
            Thread.sleep(50);
        }
    }

    @Test
    void republishingTheSameEventInAnotherTransactionReturnsTheOriginalReceipt() throws Exception {
        String id = "evt-tx-" + UUID.randomUUID();
        EventEnvelope e = order(id);
        tx.begin();
        PublishReceipt first = publisher.publish(e);
        tx.commit();
        tx.begin();
        PublishReceipt again = publisher.publish(e);
        tx.commit();
        assertEquals(first.receipt(), again.receipt());
        assertEquals(1, rows("eb_event", "id", id));
    }

    @Test
    void dataThatBreaksTheRegisteredSchemaIsRefusedLikeOverHttp() throws Exception {
        String id = "evt-tx-" + UUID.randomUUID();
        EventEnvelope bad = EventEnvelope.of(
                id,
                "user.created",
                "user-service",
                Json.createObjectBuilder()
                        .add("userId", "usr-1")
                        .add("email", "not-an-email")
                        .add("name", "Ada")
                        .build(),
                Json.createObjectBuilder().build());
        tx.begin();
        BusException refused = assertThrows(BusException.class, () -> publisher.publish(bad));
        tx.rollback();
        assertEquals(ErrorCode.SCHEMA_VALIDATION_ERROR, refused.errorCode());
        assertEquals("data.email", refused.details().get("field"));
        assertEquals("must be a valid email address", refused.details().get("error"));
        assertEquals(0, rows("eb_event", "id", id));
    }

    @Test
    void anInvalidEnvelopeIsRefusedBeforeAnythingIsWritten() {
        assertThrows(
                InvalidFieldException.class,
                () -> publisher.publish(
                        "order placed",
                        Json.createObjectBuilder().build(),
                        Json.createObjectBuilder().build()));
    }
}
