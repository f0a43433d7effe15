package com.idynic.eventbus.cli;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** Where {@code listen} hands each event: an HTTP POST to the local URL the user named. */
interface Forwarder {
    /** @return the HTTP status the local endpoint answered */
    int post(URI url, String body, Map<String, String> headers) throws IOException;
}
