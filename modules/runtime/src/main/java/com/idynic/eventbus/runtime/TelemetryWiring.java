package com.idynic.eventbus.runtime;

import com.idynic.eventbus.broker.spi.Spans;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.logging.Logger;

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
    TelemetrySettings settings;

    @Inject
    Instance<OpenTelemetry> openTelemetry;

    @Produces
    @Singleton
    Spans spans() {
        if (!settings.exporting() || !openTelemetry.isResolvable()) {
            return Spans.NONE;
        }
        LOG.info("trace spans (publish, relay, deliver) are exported to "
                + (settings.endpoint() == null ? "the OTLP default endpoint" : settings.endpoint()));
        return new OtelSpans(openTelemetry.get().getTracer(SCOPE));
    }
}
