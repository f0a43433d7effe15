/**
 * Service identity and protection: services with roles and per-type permissions, API keys (stored
 * hashed) exchanged for short-lived JWTs signed by the bus, and per-service rate limits.
 *
 * @since 0.3.0
 */
package com.idynic.eventbus.security;
