/**
 * The operator's facade: the bus's figures (delivery success rate, processing time, queue depth, dead letters,
 * pipeline progress) and alerts on them (rules, evaluation, history, signed notifications); ports for storage in
 * {@code admin.spi}.
 */
module com.idynic.eventbus.admin {
    requires transitive com.idynic.eventbus.subscribers;
    requires transitive com.idynic.eventbus.schema;
    requires java.net.http;
    requires java.logging;

    exports com.idynic.eventbus.admin;
    exports com.idynic.eventbus.admin.spi;
}
