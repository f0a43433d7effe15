/** Schema registry: versioned JSON Schemas per event type, compatibility checks, validation. */
module com.idynic.eventbus.schema {
    requires transitive com.idynic.eventbus.api;
    requires com.networknt.schema;
    requires com.fasterxml.jackson.databind;

    exports com.idynic.eventbus.schema;
    exports com.idynic.eventbus.schema.spi;
}
