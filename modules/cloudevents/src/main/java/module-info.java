/** CloudEvents 1.0: the mapping between the seed's envelope and CloudEvents, over the io.cloudevents SDK. */
module com.idynic.eventbus.cloudevents {
    requires transitive com.idynic.eventbus.api;
    requires io.cloudevents.api;
    requires io.cloudevents.core;
    requires io.cloudevents.http.basic;
    requires io.cloudevents.formats.jackson;

    exports com.idynic.eventbus.cloudevents;
}
