/**
 * The bus's HTTP face and assembly: JAX-RS resources under {@code /v1}, exception mappers that turn
 * every failure into the seed's error JSON, CDI producers wiring the framework-free core, the Kafka
 * dispatcher channel, the relay thread and MicroProfile Health checks.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.web;
