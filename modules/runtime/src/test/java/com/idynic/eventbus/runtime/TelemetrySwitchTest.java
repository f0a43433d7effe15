package com.idynic.eventbus.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The SDK is on exactly when an OTLP endpoint is configured. */
class TelemetrySwitchTest {
    static TelemetrySwitch with(Map<String, String> env, Map<String, String> properties) {
        return new TelemetrySwitch(env::get, properties::get);
    }

    @Test
    void withoutAnEndpointTheSdkIsDisabled() {
        TelemetrySwitch s = with(Map.of("EVENTBUS_OTEL_ENDPOINT", "  "), Map.of());
        assertEquals(Set.of("otel.sdk.disabled"), s.getPropertyNames());
        assertEquals("true", s.getValue("otel.sdk.disabled"));
    }

    @Test
    void theBusesEndpointVariableTurnsTheSdkOnAndIsTheExportersEndpoint() {
        TelemetrySwitch s = with(
                Map.of("EVENTBUS_OTEL_ENDPOINT", " http://collector:4318 ", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://x"),
                Map.of());
        assertEquals("false", s.getValue("otel.sdk.disabled"));
        assertEquals("http://collector:4318", s.getValue("otel.exporter.otlp.endpoint"));
    }

    @Test
    void opentelemetrysOwnEndpointSettingAlsoTurnsItOn() {
        assertEquals(
                "http://c:4318",
                with(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), Map.of())
                        .getValue("otel.exporter.otlp.endpoint"));
        assertEquals(
                "false",
                with(Map.of(), Map.of("otel.exporter.otlp.endpoint", "http://c:4318"))
                        .getValue("otel.sdk.disabled"));
        assertEquals(
                "http://p:4318",
                with(Map.of(), Map.of("eventbus.otel.endpoint", "http://p:4318"))
                        .getValue("otel.exporter.otlp.endpoint"));
    }

    @Test
    void itYieldsToEveryExplicitSource() {
        assertEquals(150, with(Map.of(), Map.of()).getOrdinal());
    }
}
