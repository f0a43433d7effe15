package com.idynic.eventbus.runtime;

import com.idynic.eventbus.security.ConfiguredServices;
import com.idynic.eventbus.security.Credentials;
import com.idynic.eventbus.security.RateLimit;
import com.idynic.eventbus.security.RateLimiter;
import com.idynic.eventbus.security.SecretBox;
import com.idynic.eventbus.security.SecuritySettings;
import com.idynic.eventbus.security.TokenIssuer;
import com.idynic.eventbus.security.spi.RateLimitBucket;
import com.idynic.eventbus.security.spi.ServiceStore;
import com.idynic.eventbus.storage.RedisRateLimitBucket;
import com.idynic.eventbus.storage.RedisSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/** Wires identity, secrets at rest and rate limits from {@link SecuritySettings}. */
@ApplicationScoped
public class SecurityWiring {
    private static final Logger LOG = Logger.getLogger(SecurityWiring.class.getName());

    @Inject
    Clock clock;

    @Inject
    SecuritySettings settings;

    @Produces
    @Singleton
    Credentials credentials(ServiceStore store) {
        TokenIssuer issuing = null;
        Optional<String> privateKeyFile = settings.jwtPrivateKey();
        if (privateKeyFile.isPresent()) {
            try {
                String pem = Files.readString(Path.of(privateKeyFile.get()));
                issuing = new TokenIssuer(
                        TokenIssuer.privateKey(pem),
                        settings.jwtIssuer(),
                        settings.jwtAudience(),
                        settings.tokenLifetime(),
                        clock);
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
    ConfiguredServices configuredServices(ServiceStore store, Credentials credentials) {
        return new ConfiguredServices(store, credentials);
    }

    /** Encrypts webhook secrets at rest; without a key the bus starts but refuses to store a secret (503). */
    @Produces
    @Singleton
    SecretBox secretBox() {
        SecretBox box = SecretBox.fromSettings(
                settings.secretsKey().orElse(null),
                settings.secretsOldKeys().orElse(null),
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
    RedisRateLimitBucket bucket(RedisSettings redis) {
        return new RedisRateLimitBucket(redis.url());
    }

    void closeBucket(@Disposes RedisRateLimitBucket bucket) {
        bucket.close();
    }

    @Produces
    @Singleton
    RateLimiter rateLimiter(RateLimitBucket bucket) {
        return new RateLimiter(bucket, clock);
    }

    @Produces
    @Singleton
    RateLimit defaultRateLimit() {
        return settings.defaultRateLimit();
    }
}
