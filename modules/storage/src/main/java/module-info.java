/** PostgreSQL adapters: the only module that knows JPA, EclipseLink and SQL. Exports nothing but its CDI beans' package. */
module com.idynic.eventbus.storage {
    requires com.idynic.eventbus.subscribers;
    requires com.idynic.eventbus.admin;
    requires com.idynic.eventbus.schema;
    requires com.idynic.eventbus.security;
    requires jakarta.persistence;
    requires jakarta.cdi;
    requires jakarta.inject;
    requires jakarta.transaction;
    requires jakarta.annotation;
    requires java.sql;
    requires java.logging;
    requires flyway.core;
    requires redis.clients.jedis;

    exports com.idynic.eventbus.storage;
}
