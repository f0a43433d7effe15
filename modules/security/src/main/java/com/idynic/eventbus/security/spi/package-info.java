/**
 * Ports the security module needs: a store of services and keys, and a shared rate-limit bucket.
 *
 * @since 0.3.0
 */
package com.idynic.eventbus.security.spi;
