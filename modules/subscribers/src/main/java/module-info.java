/** Subscriptions: registration, validation and the cached directory used for fan-out. */
module com.idynic.eventbus.subscribers {
    requires transitive com.idynic.eventbus.broker;
    requires transitive com.idynic.eventbus.security;
    requires java.net.http;
    requires java.logging;

    exports com.idynic.eventbus.subscribers;
    exports com.idynic.eventbus.subscribers.spi;
}
