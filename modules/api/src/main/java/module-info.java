/** The bus's public contract: event envelopes, receipts, the publisher port and error codes. */
module com.idynic.eventbus.api {
    requires transitive jakarta.json;

    exports com.idynic.eventbus.api;
}
