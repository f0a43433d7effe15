/**
 * Service identity and protection: services with roles and per-type permissions, API keys (stored
 * hashed) exchanged for short-lived JWTs signed by the bus, per-service rate limits, and the encryption
 * of secrets the bus must keep (webhook signing secrets) at rest.
 *
 * @since 0.3.0
 */
package com.idynic.eventbus.security;
