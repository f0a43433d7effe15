package com.idynic.eventbus.web;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.broker.Dispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The dispatcher: a static MicroProfile Reactive Messaging channel ({@code bus-events}) over the events
 * topic. Each record becomes one delivery row per matching subscription; the method returns (and the
 * connector commits the offset) only once those rows are stored, retrying while PostgreSQL is down.
 */
@ApplicationScoped
public class DispatchChannel {
    private static final Logger LOG = Logger.getLogger(DispatchChannel.class.getName());

    @Inject
    Dispatcher dispatcher;

    @Inject
    com.idynic.eventbus.broker.DispatchWatch watch;

    @Incoming("bus-events")
    public void onRecord(String value) {
        EventEnvelope e;
        try (JsonReader r = Json.createReader(new StringReader(value))) {
            JsonObject o = r.readObject();
            e = new EventEnvelope(
                    o.getString("id"),
                    o.getString("eventType"),
                    o.getString("source"),
                    OffsetDateTime.parse(o.getString("timestamp")),
                    o.getJsonObject("data"),
                    o.getJsonObject("metadata"),
                    "");
        } catch (RuntimeException bad) {
            LOG.warning("skipping a record that is not an event envelope: " + bad);
            return;
        }
        long backoff = 100;
        while (true) {
            watch.progressed();
            try {
                dispatcher.dispatch(e);
                return;
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "dispatch of " + e.id() + " failed, retrying: " + ex);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }
}
