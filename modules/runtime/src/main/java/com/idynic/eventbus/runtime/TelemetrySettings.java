package com.idynic.eventbus.runtime;

/**
 * Whether the bus exports trace spans, as {@link TelemetrySwitch} decided from the configured OTLP endpoint.
 *
 * @param exporting whether MicroProfile Telemetry's SDK is on ({@code otel.sdk.disabled=false})
 * @param endpoint the OTLP endpoint spans go to, or null for the exporter's default
 */
record TelemetrySettings(boolean exporting, String endpoint) {}
