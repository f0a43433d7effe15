/** The eventbus command line: a thin caller of the bus's REST API. */
module com.idynic.eventbus.cli {
    requires com.fasterxml.jackson.databind;
    requires java.net.http;

    exports com.idynic.eventbus.cli;
}
