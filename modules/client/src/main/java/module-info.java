/** Client library for co-deployed applications: CDI observers and a transactional publisher. */
module com.idynic.eventbus.client {
    requires transitive com.idynic.eventbus.api;
    requires com.idynic.eventbus.schema;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.annotation;
    requires jakarta.transaction;
    requires microprofile.config.api;
    requires microprofile.health.api;
    requires java.net.http;
    requires java.sql;
    requires java.naming;
    requires java.management;
    requires java.logging;

    exports com.idynic.eventbus.client;
}
