package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
                .addPackages(true, "com.idynic.eventbus.client", "com.idynic.eventbus.api")
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml")
                .addAsServiceProvider(Extension.class, ObservedTypes.class);
        return ShrinkWrap.create(WebArchive.class, "tx-publish-it.war")
                .addAsLibraries(client)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
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
                Json.createObjectBuilder().add("orderId", "ord-1").build(),
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

    @Test
    void committingTheCallersTransactionKeepsTheEventAndItsOutboxRow() throws Exception {
        String id = "evt-tx-" + UUID.randomUUID();
        tx.begin();
        PublishReceipt r = publisher.publish(order(id));
        tx.commit();
        assertEquals(id, r.eventId());
        assertEquals(1, rows("eb_event", "id", id));
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
    void anInvalidEnvelopeIsRefusedBeforeAnythingIsWritten() {
        assertThrows(
                InvalidFieldException.class,
                () -> publisher.publish(
                        "order placed",
                        Json.createObjectBuilder().build(),
                        Json.createObjectBuilder().build()));
    }
}
