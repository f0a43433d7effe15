package com.idynic.eventbus.connector;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.eclipse.microprofile.reactive.messaging.spi.IncomingConnectorFactory;
import org.eclipse.microprofile.reactive.messaging.spi.OutgoingConnectorFactory;
import org.eclipse.microprofile.reactive.streams.operators.PublisherBuilder;
import org.eclipse.microprofile.reactive.streams.operators.ReactiveStreams;
import org.eclipse.microprofile.reactive.streams.operators.SubscriberBuilder;

/**
 * The connector {@code idynic-eventbus}: channels to and from the bus over HTTP for any MicroProfile Reactive
 * Messaging runtime.
 *
 * <pre>
 * mp.messaging.connector.idynic-eventbus.url=http://bus.internal:9080
 * mp.messaging.connector.idynic-eventbus.api-key=${EVENTBUS_API_KEY}
 * mp.messaging.incoming.orders-in.connector=idynic-eventbus
 * mp.messaging.incoming.orders-in.subscription=shipping-orders
 * mp.messaging.incoming.orders-in.types=order.placed,order.cancelled
 * mp.messaging.outgoing.orders-out.connector=idynic-eventbus
 * mp.messaging.outgoing.orders-out.type=order.shipped
 * </pre>
 *
 * <p>Incoming attributes: {@code subscription}, {@code types}, {@code ordering}, {@code max-attempts}, {@code batch},
 * {@code workers}, {@code ack-deadline-ms}, {@code payload} (see the README). Outgoing: {@code type}, {@code source},
 * {@code linger-ms}, {@code max-in-flight}, {@code max-pending}. Both: {@code url}, {@code api-key}.
 *
 * @since 0.4.0
 */
@ApplicationScoped
@Connector(IdynicEventBusConnector.NAME)
public class IdynicEventBusConnector implements IncomingConnectorFactory, OutgoingConnectorFactory {
    /** The connector's name in {@code mp.messaging.*.<channel>.connector}. */
    public static final String NAME = "idynic-eventbus";

    private static final System.Logger LOG = System.getLogger(IdynicEventBusConnector.class.getName());

    private final List<AutoCloseable> channels = new CopyOnWriteArrayList<>();

    @Override
    public PublisherBuilder<? extends Message<?>> getPublisherBuilder(Config config) {
        IncomingSettings s = IncomingSettings.from(attributes(config));
        IncomingChannel channel = IncomingChannel.open(s, SdkBus.incoming(s));
        channels.add(channel);
        return ReactiveStreams.generate(channel::next).flatMapCompletionStage(Function.identity());
    }

    @Override
    public SubscriberBuilder<? extends Message<?>, Void> getSubscriberBuilder(Config config) {
        OutgoingSettings s = OutgoingSettings.from(attributes(config));
        OutgoingChannel channel = new OutgoingChannel(s, SdkBus.outgoing(s));
        channels.add(channel);
        return ReactiveStreams.fromSubscriber(new BoundedSubscriber(channel));
    }

    private static Attributes attributes(Config config) {
        return name -> config.getOptionalValue(name, String.class);
    }

    /** Sends what the outgoing channels hold and nacks what the incoming ones handed out and nobody settled. */
    @PreDestroy
    void close() {
        for (AutoCloseable c : channels) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing an idynic-eventbus channel failed: " + e);
            }
        }
        channels.clear();
    }
}
