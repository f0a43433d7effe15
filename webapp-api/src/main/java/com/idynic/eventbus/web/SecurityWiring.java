package com.idynic.eventbus.web;

import com.idynic.eventbus.broker.Backpressure;
import com.idynic.eventbus.security.ConfiguredServices;
import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.RateLimiter;
import com.idynic.eventbus.security.SecretBox;
import com.idynic.eventbus.security.TokenIssuer;
import com.idynic.eventbus.storage.JdbcOutboxStore;
import com.idynic.eventbus.storage.JdbcServiceStore;
import com.idynic.eventbus.storage.RedisRateLimitBucket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires identity, secrets at rest, rate limits and overload protection from MicroProfile Config. */
@ApplicationScoped
public class SecurityWiring {
    private static final Logger LOG = Logger.getLogger(SecurityWiring.class.getName());

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "eventbus.jwt.private-key")
    Optional<String> privateKeyFile;

    @Inject
    @ConfigProperty(name = "eventbus.jwt.issuer")
    String issuer;

    @Inject
    @ConfigProperty(name = "eventbus.jwt.audience")
    String audience;

    @Inject
    @ConfigProperty(name = "eventbus.jwt.token-lifetime")
    Duration tokenLifetime;

    @Inject
    @ConfigProperty(name = "eventbus.redis.url")
    String redisUrl;

    @Inject
    @ConfigProperty(name = "eventbus.ratelimit.default-per-second")
    double defaultRate;

    @Inject
    @ConfigProperty(name = "eventbus.ratelimit.default-burst")
    int defaultBurst;

    @Inject
    @ConfigProperty(name = "eventbus.overload.outbox-threshold")
    long outboxThreshold;

    @Inject
    @ConfigProperty(name = "eventbus.overload.max-relay-lag")
    Duration maxRelayLag;

    @Inject
    @ConfigProperty(name = "eventbus.overload.retry-after")
    Duration overloadRetryAfter;

    @Inject
    @ConfigProperty(name = "eventbus.secrets.key")
    Optional<String> secretsKey;

    @Inject
    @ConfigProperty(name = "eventbus.secrets.old-keys")
    Optional<String> secretsOldKeys;

    @Produces
    @Singleton
    Credentials credentials(JdbcServiceStore store) {
        TokenIssuer issuing = null;
        if (privateKeyFile.isPresent()) {
            try {
                String pem = Files.readString(Path.of(privateKeyFile.get()));
                issuing = new TokenIssuer(TokenIssuer.privateKey(pem), issuer, audience, tokenLifetime, clock);
            } catch (IOException | IllegalArgumentException e) {
                LOG.severe("cannot read the token signing key " + privateKeyFile.get() + ": " + e.getMessage()
                        + "; POST /v1/auth/token answers 503");
            }
        } else {
            LOG.warning("no token signing key (EVENTBUS_JWT_PRIVATE_KEY): POST /v1/auth/token answers 503;"
                    + " tokens from a configured identity provider still work");
        }
        return new Credentials(store, issuing, clock);
    }

    /** The services {@code eventbus.auth.admin-key} and {@code eventbus.auth.client-key} bootstrap at start. */
    @Produces
    @Singleton
    ConfiguredServices configuredServices(JdbcServiceStore store, Credentials credentials) {
        return new ConfiguredServices(store, credentials);
    }

    /** Encrypts webhook secrets at rest; without a key the bus starts but refuses to store a secret (503). */
    @Produces
    @Singleton
    SecretBox secretBox() {
        SecretBox box = SecretBox.fromSettings(
                secretsKey.orElse(null),
                secretsOldKeys.orElse(null),
                problem -> LOG.severe(problem + "; secrets under that key cannot be read or stored"));
        if (box.canSeal()) {
            LOG.info("secrets at rest: AES-256-GCM, new values under key "
                    + box.currentKeyId().orElseThrow() + ", readable under keys " + box.keyIds());
        } else {
            LOG.warning("no key for secrets at rest (EVENTBUS_SECRETS_KEY): creating or replacing a webhook"
                    + " subscription answers 503; secrets an older version stored in plain text still sign"
                    + " deliveries and are encrypted once a key is set");
        }
        return box;
    }

    @Produces
    @Singleton
    RedisRateLimitBucket bucket() {
        return new RedisRateLimitBucket(redisUrl);
    }

    void closeBucket(@Disposes RedisRateLimitBucket bucket) {
        bucket.close();
    }

    @Produces
    @Singleton
    RateLimiter rateLimiter(RedisRateLimitBucket bucket) {
        return new RateLimiter(bucket, clock);
    }

    @Produces
    @Singleton
    RateLimit defaultRateLimit() {
        return new RateLimit(defaultRate, defaultBurst);
    }

    @Produces
    @Singleton
    Backpressure backpressure(JdbcOutboxStore outbox) {
        return new Backpressure(
                outbox::backlog, outbox::lagMillis, outboxThreshold, maxRelayLag, overloadRetryAfter, clock);
    }
}
