/** Service identities: API keys, bus-signed JWTs, roles, permissions and rate limits. */
module com.idynic.eventbus.security {
    requires transitive com.idynic.eventbus.api;
    requires jakarta.json;
    requires java.logging;

    exports com.idynic.eventbus.security;
    exports com.idynic.eventbus.security.spi;
}
