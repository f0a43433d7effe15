/** Publishing, the outbox relay, fan-out and pull delivery; ports for storage in {@code broker.spi}. */
module com.idynic.eventbus.broker {
    requires transitive com.idynic.eventbus.api;
    requires transitive com.idynic.eventbus.security;
    requires com.idynic.eventbus.cloudevents;
    requires static kafka.clients;
    requires java.logging;

    exports com.idynic.eventbus.broker;
    exports com.idynic.eventbus.broker.spi;
    exports com.idynic.eventbus.broker.export;
    exports com.idynic.eventbus.broker.kafka;
}
