/**
 * The assembly shared by the bus's web modules (EAR {@code lib/}): settings, CDI producers wiring the core,
 * start-up and the workers' lifecycle, the bus's metrics.
 */
module com.idynic.eventbus.runtime {
    requires com.idynic.eventbus.storage;
    requires com.idynic.eventbus.admin;
    requires com.idynic.eventbus.subscribers;
    requires com.idynic.eventbus.schema;
    requires jakarta.annotation;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires java.sql;
    requires java.logging;
    requires microprofile.config.api;
    requires microprofile.metrics.api;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;

    exports com.idynic.eventbus.runtime;

    provides org.eclipse.microprofile.config.spi.ConfigSource with
            com.idynic.eventbus.runtime.TelemetrySwitch;
}
