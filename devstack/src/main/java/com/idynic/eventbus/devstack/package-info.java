/**
 * Starts real PostgreSQL, Kafka (KRaft) and Redis from Maven artifacts for the run command and the
 * test suite, and lets tests stop and restart each of them over a small, token-protected HTTP control port.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.devstack;
