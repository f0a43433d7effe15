/**
 * The operator's facade over the bus: {@link com.idynic.eventbus.admin.Monitoring} answers the figures an operator
 * watches (per subscription and for the whole bus), and {@link com.idynic.eventbus.admin.AlertRules} with {@link
 * com.idynic.eventbus.admin.AlertLoop} keeps alert rules on them, evaluates them and notifies by signed webhook.
 * Plain Java methods returning records, so REST resources and the Faces console call the same methods.
 *
 * @since 0.19.0
 */
package com.idynic.eventbus.admin;
