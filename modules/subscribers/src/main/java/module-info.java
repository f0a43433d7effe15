/** Subscriptions (registration, validation, the cached directory used for fan-out) and delivery to them, push and pull. */
module com.idynic.eventbus.subscribers {
    requires transitive com.idynic.eventbus.broker;
    requires transitive com.idynic.eventbus.security;
    requires transitive com.idynic.eventbus.cloudevents;
    requires java.net.http;
    requires java.logging;

    exports com.idynic.eventbus.subscribers;
    exports com.idynic.eventbus.subscribers.spi;
    exports com.idynic.eventbus.subscribers.delivery;
}
