package com.idynic.eventbus.devstack;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@code EVENTBUS_WEBHOOK_DENY} setting devstack writes: the run mode and the tests allow webhooks to loopback
 * so that local receivers work, and this keeps the bus's own HTTP and HTTPS ports, its dependencies' ports and
 * devstack's control port out of a subscriber's reach on loopback, whatever other ports stay open to webhooks.
 */
final class WebhookDenyList {
    static final String NAME = "EVENTBUS_WEBHOOK_DENY";

    private WebhookDenyList() {}

    /**
     * @param env the settings about to be written: the ports come from {@code EVENTBUS_HTTP_PORT} and {@code
     *     EVENTBUS_HTTPS_PORT} (9080 and 9443, Liberty's defaults, when unset), {@code EVENTBUS_DB_PORT} (5432),
     *     {@code EVENTBUS_KAFKA_BOOTSTRAP}, {@code EVENTBUS_REDIS_URL} and {@code DEVSTACK_CONTROL}; entries already
     *     set under {@value #NAME} come first
     * @param morePorts ports the settings do not name, e.g. the Kafka controller's
     * @return the setting's value: each port on {@code 127.0.0.0/8} and {@code ::1/128}, written without brackets
     *     (a shell reading the env file might take {@code [::1]} for a pattern)
     */
    static String of(Map<String, String> env, Collection<Integer> morePorts) {
        SortedSet<Integer> ports = new TreeSet<>(morePorts);
        addPort(ports, env.getOrDefault("EVENTBUS_HTTP_PORT", "9080"));
        addPort(ports, env.getOrDefault("EVENTBUS_HTTPS_PORT", "9443"));
        addPort(ports, env.getOrDefault("EVENTBUS_DB_PORT", "5432"));
        for (String server : env.getOrDefault("EVENTBUS_KAFKA_BOOTSTRAP", "").split(",")) {
            addPort(ports, server.substring(server.lastIndexOf(':') + 1));
        }
        addUrlPort(ports, env.get("EVENTBUS_REDIS_URL"), 6379);
        addUrlPort(ports, env.get("DEVSTACK_CONTROL"), -1);
        List<String> entries = new ArrayList<>();
        String given = env.get(NAME);
        if (given != null && !given.isBlank()) {
            entries.add(given.trim());
        }
        for (int port : ports) {
            entries.add("127.0.0.0/8:" + port);
            entries.add("::1/128:" + port);
        }
        return String.join(",", entries);
    }

    private static void addUrlPort(SortedSet<Integer> ports, String url, int fallback) {
        if (url == null || url.isBlank()) {
            return;
        }
        try {
            int port = URI.create(url.trim()).getPort();
            addPort(ports, String.valueOf(port < 0 ? fallback : port));
        } catch (IllegalArgumentException notAUrl) {
            // the bus will not start with it either; nothing to refuse
        }
    }

    private static void addPort(SortedSet<Integer> ports, String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 1 && port <= 65535) {
                ports.add(port);
            }
        } catch (NumberFormatException notAPort) {
            // not a port: nothing listens there
        }
    }
}
