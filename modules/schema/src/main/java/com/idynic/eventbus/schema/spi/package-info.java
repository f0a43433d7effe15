/**
 * The storage port for schemas.
 *
 * @since 0.2.0
 */
package com.idynic.eventbus.schema.spi;
