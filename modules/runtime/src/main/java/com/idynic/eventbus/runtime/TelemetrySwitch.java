package com.idynic.eventbus.runtime;

import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns MicroProfile Telemetry's SDK on exactly when an OTLP endpoint is configured: {@code EVENTBUS_OTEL_ENDPOINT}
 * (or {@code OTEL_EXPORTER_OTLP_ENDPOINT}, or the system property {@code eventbus.otel.endpoint} or {@code
 * otel.exporter.otlp.endpoint}). Then this source gives {@code otel.sdk.disabled=false} and the endpoint as {@code
 * otel.exporter.otlp.endpoint}; without one, {@code otel.sdk.disabled=true} (no SDK, no export, no cost). Its ordinal
 * is low (below environment variables, system properties and server.xml variables), so an explicit {@code
 * otel.sdk.disabled} or {@code OTEL_SDK_DISABLED} still wins. Registered as a service in the EAR's {@code lib/}, so
 * that the application's OpenTelemetry SDK, which MicroProfile Telemetry configures from the application's
 * MicroProfile Config, sees it.
 */
public final class TelemetrySwitch implements ConfigSource {
    static final String SDK_DISABLED = "otel.sdk.disabled";
    static final String ENDPOINT = "otel.exporter.otlp.endpoint";

    private final Map<String, String> values;

    public TelemetrySwitch() {
        this(System::getenv, System::getProperty);
    }

    TelemetrySwitch(UnaryOperator<String> env, UnaryOperator<String> systemProperties) {
        String endpoint = first(
                env.apply("EVENTBUS_OTEL_ENDPOINT"),
                systemProperties.apply("eventbus.otel.endpoint"),
                env.apply("OTEL_EXPORTER_OTLP_ENDPOINT"),
                systemProperties.apply(ENDPOINT));
        this.values =
                endpoint == null ? Map.of(SDK_DISABLED, "true") : Map.of(SDK_DISABLED, "false", ENDPOINT, endpoint);
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c.strip();
            }
        }
        return null;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "eventbus-telemetry-switch";
    }

    /** Below environment variables (300), system properties (400) and server.xml variables (500). */
    @Override
    public int getOrdinal() {
        return 150;
    }
}
