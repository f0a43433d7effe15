package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.spi.Spans;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Wires the bus's trace spans ({@link Spans}): MicroProfile Telemetry's OpenTelemetry when its SDK is on (an OTLP
 * endpoint is configured, see {@link TelemetrySwitch}), else {@link Spans#NONE}, which costs nothing.
 */
@ApplicationScoped
public class TelemetryWiring {
    private static final Logger LOG = Logger.getLogger(TelemetryWiring.class.getName());

    /** The instrumentation scope of the bus's own spans. */
    static final String SCOPE = "idynic-event-bus";

    @Inject
    Config config;

    @Inject
    Instance<OpenTelemetry> openTelemetry;

    @Produces
    @Singleton
    Spans spans() {
        boolean disabled = config.getOptionalValue(TelemetrySwitch.SDK_DISABLED, Boolean.class)
                .orElse(true);
        if (disabled || !openTelemetry.isResolvable()) {
            return Spans.NONE;
        }
        LOG.info("trace spans (publish, relay, deliver) are exported to "
                + config.getOptionalValue(TelemetrySwitch.ENDPOINT, String.class)
                        .orElse("the OTLP default endpoint"));
        return new OtelSpans(openTelemetry.get().getTracer(SCOPE));
    }
}
