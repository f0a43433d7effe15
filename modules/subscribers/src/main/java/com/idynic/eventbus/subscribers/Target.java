package com.idynic.eventbus.subscribers;

import com.idynic.eventbus.cloudevents.WebhookFormat;
import java.time.Duration;

/**
 * Where a subscription's events go.
 *
 * @param type {@code webhook} (the bus POSTs each event), {@code pull} (an SDK client fetches and acks)
 *     or {@code cdi} (observers in a co-deployed app, through the client library's pull loop)
 * @param url the webhook URL; null otherwise
 * @param secret the webhook signing secret ({@code whsec_...}); null otherwise
 * @param timeout how long a webhook call may take before it counts as failed
 * @param format how a webhook delivery is written: the seed's JSON, or a CloudEvent in binary or structured mode
 * @since 0.2.0
 */
public record Target(String type, String url, String secret, Duration timeout, WebhookFormat format) {
    public Target {
        if (format == null) {
            format = WebhookFormat.SEED;
        }
    }

    /** A target whose deliveries are the seed's JSON. */
    public Target(String type, String url, String secret, Duration timeout) {
        this(type, url, secret, timeout, WebhookFormat.SEED);
    }

    /**
     * @param newSecret the signing secret to keep, or null to leave it out
     * @return this target with {@code newSecret}
     * @since 0.21.0
     */
    public Target withSecret(String newSecret) {
        return new Target(type, url, newSecret, timeout, format);
    }

    /** Default webhook timeout: 15 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** @return a pull target */
    public static Target pull() {
        return new Target("pull", null, null, DEFAULT_TIMEOUT);
    }

    /** @return whether the bus pushes to this target (webhook) rather than being pulled from */
    public boolean isPush() {
        return "webhook".equals(type);
    }
}
