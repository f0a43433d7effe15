/**
 * Ports the operator's facade needs from storage: the delivery figures ({@link
 * com.idynic.eventbus.admin.spi.MonitoringStore}) and alert rules with their history ({@link
 * com.idynic.eventbus.admin.spi.AlertStore}).
 *
 * @since 0.19.0
 */
package com.idynic.eventbus.admin.spi;
