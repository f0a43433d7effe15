package com.idynic.eventbus.client;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.api.Publisher;
import com.idynic.eventbus.client.internal.ClientSettings;
import com.idynic.eventbus.client.internal.CommitReports;
import com.idynic.eventbus.client.internal.OutboxWriter;
import com.idynic.eventbus.client.internal.RegisteredSchemas;
import com.idynic.eventbus.schema.DataValidator;
import com.idynic.eventbus.schema.SchemaRegistry;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Publishes events from a co-deployed application. The event and its outbox row are written through
 * the bus's server-level DataSource ({@code jdbc/eventbus}) in the caller's JTA transaction: when it
 * rolls back, no event exists; when it commits, the bus relays and delivers the event. Called outside a
 * transaction it starts its own. The envelope, and its data against the event type's registered JSON
 * Schema (the same versions and rules as {@code POST /v1/events}), are validated before anything is
 * written: a violation throws {@link com.idynic.eventbus.api.BusException} with {@code SCHEMA_VALIDATION_ERROR}.
 *
 * @since 0.1.0
 */
@ApplicationScoped
public class EventPublisher implements Publisher {
    @Resource(lookup = "jdbc/eventbus")
    DataSource ds;

    @Inject
    ClientSettings settings;

    @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
    TransactionSynchronizationRegistry transactions;

    private volatile SchemaRegistry schemas;

    /**
     * Publishes {@code data} as a new event of {@code eventType} from this app's configured source
     * ({@code eventbus.client.source}).
     *
     * @param eventType e.g. {@code order.placed}
     * @param data payload
     * @param metadata e.g. {@code {"correlationId":"corr-1","partitionKey":"cust-7"}}, may be empty
     * @return the receipt (valid once the caller's transaction commits)
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public PublishReceipt publish(String eventType, JsonObject data, JsonObject metadata) {
        return publish(EventEnvelope.of(
                "evt-" + UUID.randomUUID(),
                eventType,
                settings.source(),
                data,
                metadata,
                OffsetDateTime.now(settings.clock())));
    }

    /**
     * Validates an event as {@link #publish(String, JsonObject, JsonObject)} would, writing nothing and
     * joining no transaction. Call it before starting the transaction that publishes: a refusal thrown
     * through a {@code @Transactional} method rolls the transaction back and Open Liberty records it as an
     * FFDC incident, although it is only bad input.
     *
     * @param eventType e.g. {@code order.placed}
     * @param data payload
     * @param metadata as for {@code publish}, may be empty
     * @throws com.idynic.eventbus.api.InvalidFieldException {@code VALIDATION_ERROR} naming the field
     * @throws com.idynic.eventbus.api.BusException {@code SCHEMA_VALIDATION_ERROR} naming the field
     * @since 0.4.0
     */
    public void check(String eventType, JsonObject data, JsonObject metadata) {
        schemas()
                .validate(EventEnvelope.of(
                        "evt-check",
                        eventType,
                        settings.source(),
                        data,
                        metadata,
                        OffsetDateTime.now(settings.clock())));
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public PublishReceipt publish(EventEnvelope event) {
        Instant called = settings.clock().instant();
        schemas().validate(event);
        return new OutboxWriter(ds, settings.clock())
                .write(event, stored -> CommitReports.add(transactions, stored, called));
    }

    private SchemaRegistry schemas() {
        SchemaRegistry s = schemas;
        if (s == null) {
            s = new SchemaRegistry(new RegisteredSchemas(ds), new DataValidator(), settings.rejectsUnregistered());
            schemas = s;
        }
        return s;
    }
}
