package com.idynic.eventbus.client.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * The co-deployed app's liveness check {@code eventbus-client}: DOWN when the bridge's pull loop has ended,
 * or has been failing (restarted with backoff) for longer than {@code eventbus.client.down-after} (read with the
 * client's other settings in {@link ObserverBridge}). The
 * bus's own checks cannot see into this app; Liberty's {@code /health/live} reports both.
 */
@Liveness
@ApplicationScoped
public class BridgeLiveness implements HealthCheck {
    @Inject
    ObserverBridge bridge;

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("eventbus-client");
        bridge.pullLoop()
                .ifPresentOrElse(
                        l -> {
                            b.status(!bridge.down())
                                    .withData("loop", l.name())
                                    .withData("transport", bridge.transport())
                                    .withData("state", l.state().name())
                                    .withData("restarts", l.restarts());
                            if (l.lastError() != null) {
                                b.withData("lastError", l.lastError());
                            }
                        },
                        () -> b.up().withData("state", "not subscribing"));
        return b.build();
    }
}
