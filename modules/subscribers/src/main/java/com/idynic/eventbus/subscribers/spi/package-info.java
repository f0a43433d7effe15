/**
 * The storage port for subscriptions.
 *
 * @since 0.1.0
 */
package com.idynic.eventbus.subscribers.spi;
