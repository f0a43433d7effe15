/** Java SDK of the event bus for services outside the server: no server module, only java.net.http and Jackson. */
module com.idynic.eventbus.sdk {
    requires transitive java.net.http;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;

    exports com.idynic.eventbus.sdk;
}
