package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.api.SystemClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
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

    /**
     * How delivered events are acknowledged: {@code transaction} (default) marks each delivery row delivered on the
     * bus's DataSource in the JTA transaction the observers ran in (an exactly-once effect for their writes to that
     * database); {@code http} acknowledges over the bus's API after the observers returned, in one request per
     * batch (at least once: for apps whose data lives elsewhere).
     */
    @Inject
    @ConfigProperty(name = "eventbus.client.settle", defaultValue = "transaction")
    String settle;

    /**
     * How the bridge reaches the bus's pull API: {@code auto} (default) calls the bus's in-process endpoint when the
     * app runs on the bus's server (no HTTP request, token or socket per lease or ack) and HTTP otherwise; {@code
     * http} always uses HTTP.
     */
    @Inject
    @ConfigProperty(name = "eventbus.client.transport", defaultValue = "auto")
    String transport;

    /** Most events one pull leases. */
    @Inject
    @ConfigProperty(name = "eventbus.client.batch", defaultValue = "256")
    int batch;

    /** Most events one transaction delivers (consecutive events of a lane; 1 = one transaction per event). */
    @Inject
    @ConfigProperty(name = "eventbus.client.events-per-transaction", defaultValue = "128")
    int eventsPerTransaction;

    /** Lanes (threads) a batch is delivered on; one key's events always go through one lane, in order. */
    @Inject
    @ConfigProperty(name = "eventbus.client.threads", defaultValue = "4")
    int threads;

    /**
     * After a lease that came back less than full, how long the next one waits so that events can gather (as a
     * Kafka consumer's {@code fetch.max.wait.ms} does): a trickle of events is delivered in a few batches rather
     * than one lease per event. A lease that finds nothing waits for events without it (a long poll).
     */
    @Inject
    @ConfigProperty(name = "eventbus.client.linger", defaultValue = "PT0.05S")
    Duration linger;

    /** @return how long the next lease waits after one that came back less than full */
    public Duration linger() {
        return linger.isNegative() ? Duration.ZERO : linger;
    }

    /** @return whether acknowledgements are committed in the observers' transaction (else sent over HTTP) */
    public boolean settlesInTransaction() {
        return !"http".equalsIgnoreCase(settle.trim());
    }

    /** @return whether pull, ack and nack may use the bus's in-process endpoint when it is in this JVM */
    public boolean inProcessWhenCoDeployed() {
        return !"http".equalsIgnoreCase(transport.trim());
    }

    /** @return most events one pull leases (1..500, the pull API's limit) */
    public int batch() {
        return Math.max(1, Math.min(500, batch));
    }

    /** @return most events per transaction (at least 1) */
    public int eventsPerTransaction() {
        return Math.max(1, eventsPerTransaction);
    }

    /** @return lanes a batch is delivered on (1..64) */
    public int threads() {
        return Math.max(1, Math.min(64, threads));
    }

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

    @Inject
    Instance<Clock> appClock;

    /**
     * @return the client's clock: the app's own {@code Clock} bean when it has exactly one (as the bus injects its
     *     one clock), else the system clock in UTC (the library produces no {@code Clock} bean, so that it never
     *     clashes with the app's own)
     */
    public Clock clock() {
        return appClock != null && appClock.isResolvable() ? appClock.get() : SystemClock.UTC;
    }
}
