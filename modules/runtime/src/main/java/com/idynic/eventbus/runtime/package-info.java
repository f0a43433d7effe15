/**
 * The bus's assembly, shared by its web modules: typed settings read once from MicroProfile Config, the CDI
 * producers that wire the framework-free core (storage adapters, services, Kafka, the supervised loops), the
 * start-up steps and the workers' lifecycle, and the bus's own metrics. It lives in the EAR's {@code lib/}, so
 * the REST API ({@code webapp-api}) and the operator console ({@code webapp-admin}) inject the same service
 * instances: two equal callers of one set of rules.
 *
 * @since 0.9.0
 */
package com.idynic.eventbus.runtime;
