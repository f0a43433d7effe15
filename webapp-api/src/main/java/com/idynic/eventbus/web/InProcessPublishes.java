package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.runtime.StoredEvents;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.ObjectName;

/**
 * Hears, in-process, the commits of events co-deployed apps publish in their own transactions ({@code
 * EventPublisher}): the bus writes no row of them itself, so without this it would count, track and trace none of
 * them, and the relay would find them only at its next idle look at the outbox. Registered in the platform MBean
 * server as {@value #NAME}; the report carries only ids, types, sources and trace contexts (no data), and a bad
 * report is logged and dropped: it can never touch an event.
 */
@ApplicationScoped
public class InProcessPublishes implements InProcessPublishesMBean {
    /** The endpoint's name in the platform MBean server. */
    public static final String NAME = "com.idynic.eventbus:type=InProcessPublishes";

    private static final Logger LOG = Logger.getLogger(InProcessPublishes.class.getName());

    /** Most events one report may carry; the rest are dropped (the events themselves are unaffected). */
    static final int MAX_EVENTS = 10_000;

    @Inject
    StoredEvents stored;

    private volatile Optional<ObjectName> registered = Optional.empty();

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        registered = PlatformMBeans.register(NAME, this, InProcessPublishesMBean.class);
    }

    @PreDestroy
    void stop() {
        PlatformMBeans.unregister(registered);
    }

    @Override
    public void committed(String events) {
        Thread t = Thread.currentThread();
        ClassLoader callers = t.getContextClassLoader();
        t.setContextClassLoader(InProcessPublishes.class.getClassLoader());
        try {
            stored.committed(read(events));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a co-deployed app's commit report was not understood; dropped", e);
        } finally {
            t.setContextClassLoader(callers);
        }
    }

    static List<StoredEvents.Committed> read(String events) {
        List<StoredEvents.Committed> out = new ArrayList<>();
        try (JsonReader r = CachedJson.createReader(new StringReader(events))) {
            for (JsonValue v : r.readArray()) {
                if (out.size() == MAX_EVENTS) {
                    break;
                }
                JsonObject o = v.asJsonObject();
                out.add(new StoredEvents.Committed(
                        o.getString("id"),
                        o.getString("eventType"),
                        o.getString("source"),
                        o.getString("traceparent", null),
                        Instant.ofEpochMilli(o.getJsonNumber("publishedAt").longValue())));
            }
        }
        return out;
    }
}
