package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.api.CachedJson;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The bus's pull API in this JVM, when the app runs on the bus's own server: the bus registers it in the platform
 * MBean server ({@value #NAME}) and answers each call as its REST API would, status and body included, with no HTTP
 * request, token or socket. Only JDK types cross between the app's classes and the bus's.
 */
final class InProcessEndpoint {
    /** Where the bus registers the endpoint. */
    static final String NAME = "com.idynic.eventbus:type=InProcessPulls";

    private static final String[] SIGNATURE = {
        String.class.getName(), String.class.getName(), String.class.getName(), String.class.getName()
    };

    private final MBeanServer server;
    private final ObjectName name;
    private final String apiKey;

    private InProcessEndpoint(MBeanServer server, ObjectName name, String apiKey) {
        this.server = server;
        this.name = name;
        this.apiKey = apiKey;
    }

    /** @return the endpoint when the bus runs in this JVM (its REST module has started), else empty */
    static Optional<InProcessEndpoint> find(String apiKey) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            return server.isRegistered(name)
                    ? Optional.of(new InProcessEndpoint(server, name, apiKey))
                    : Optional.empty();
        } catch (MalformedObjectNameException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * @param operation {@code pull}, {@code ack} or {@code nack}
     * @return the answer's body
     * @throws IOException when the bus refused (its status and error JSON in the message, as over HTTP) or is gone
     */
    JsonObject call(String operation, String subscription, JsonObject body) throws IOException {
        Object answer;
        try {
            answer = server.invoke(
                    name, "call", new Object[] {apiKey, operation, subscription, body.toString()}, SIGNATURE);
        } catch (JMException e) {
            throw new IOException("the bus's in-process endpoint did not answer " + operation + ": " + e, e);
        }
        JsonObject o;
        try (JsonReader r = CachedJson.createReader(new StringReader(String.valueOf(answer)))) {
            o = r.readObject();
        }
        int status = o.getInt("status");
        if (status / 100 != 2) {
            throw new IOException("in-process " + operation + " answered " + status + ": " + o.get("body"));
        }
        return o.getJsonObject("body");
    }
}
