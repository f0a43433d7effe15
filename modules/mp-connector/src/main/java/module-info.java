/**
 * The MicroProfile Reactive Messaging connector {@code idynic-eventbus}: the specification's API and the Java SDK,
 * no runtime's own types.
 */
module com.idynic.eventbus.connector {
    requires transitive com.idynic.eventbus.sdk;
    requires transitive microprofile.reactive.messaging.api;
    requires microprofile.reactive.streams.operators.api;
    requires org.reactivestreams;
    requires microprofile.config.api;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.annotation;

    exports com.idynic.eventbus.connector;
}
