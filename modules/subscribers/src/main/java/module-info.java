/** Subscriptions: registration, validation and the cached directory used for fan-out. */
module com.idynic.eventbus.subscribers {
    requires transitive com.idynic.eventbus.broker;

    exports com.idynic.eventbus.subscribers;
    exports com.idynic.eventbus.subscribers.spi;
}
