/**
 * The bus's HTTP face: JAX-RS resources under {@code /v1}, exception mappers that turn every failure into the
 * seed's error JSON, authentication and request-body budgets, and MicroProfile Health checks. The services it
 * calls are wired in {@code com.idynic.eventbus.runtime}.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.web;
