package com.idynic.eventbus.client.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client library's settings, read in this one place (the co-deployed app's MicroProfile Config) with their
 * defaults; the publisher and the observer bridge ask it.
 */
@ApplicationScoped
public class ClientSettings {
    @Inject
    @ConfigProperty(name = "eventbus.client.source", defaultValue = "unknown-service")
    String source;

    @Inject
    @ConfigProperty(name = "eventbus.schemas.unregistered", defaultValue = "allow")
    String unregisteredTypes;

    @Inject
    @ConfigProperty(name = "eventbus.client.url", defaultValue = "http://127.0.0.1:9080")
    String url;

    @Inject
    @ConfigProperty(name = "eventbus.client.subscription")
    Optional<String> subscription;

    /**
     * The app's service API key ({@code EVENTBUS_CLIENT_API_KEY}); the bus's API needs a token. The pull loop
     * holds one of that service's long polls ({@code eventbus.pull.max-long-polls-per-service}) nearly all the
     * time, a budget shared with every caller using a key of the same service: give each app a service of its own.
     */
    @Inject
    @ConfigProperty(name = "eventbus.client.api-key")
    Optional<String> apiKey;

    @Inject
    @ConfigProperty(name = "eventbus.client.ack-deadline", defaultValue = "PT30S")
    Duration ackDeadline;

    /** How long the pull loop may keep failing before the app's liveness check says DOWN. */
    @Inject
    @ConfigProperty(name = "eventbus.client.down-after", defaultValue = "PT60S")
    Duration downAfter;

    /** @return the app's service name: the source of what it publishes and the owner of its subscription */
    public String source() {
        return source;
    }

    /** @return whether events of types without a registered schema are refused ({@code reject}) */
    public boolean rejectsUnregistered() {
        return "reject".equals(unregisteredTypes);
    }

    /** @return the bus's base URL */
    public String url() {
        return url;
    }

    /** @return the subscription the app's observers receive through, if one is configured */
    public Optional<String> subscription() {
        return subscription;
    }

    /** @return the app's API key, if set */
    public Optional<String> apiKey() {
        return apiKey;
    }

    /** @return how long a pulled event stays leased before the bus offers it again */
    public Duration ackDeadline() {
        return ackDeadline;
    }

    /** @return how long the pull loop may keep failing before liveness says DOWN */
    public Duration downAfter() {
        return downAfter;
    }

    /**
     * @return the client's clock: the system clock in UTC (the library produces no {@code Clock} bean, so that it
     *     never clashes with the app's own)
     */
    public Clock clock() {
        return Clock.systemUTC();
    }
}
