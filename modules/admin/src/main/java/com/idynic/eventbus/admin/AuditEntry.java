package com.idynic.eventbus.admin;

import java.time.Instant;

/**
 * One entry of the audit log: who did what, to which subscription, when.
 *
 * @param id increasing with time; the key of the log's paging
 * @param at when
 * @param actor the service that acted, or {@code eventbus} for the bus itself
 * @param action e.g. {@code subscription-pause}, {@code redrive}, {@code console-sign-in}
 * @param subscription the subscription acted on, or null
 * @param detail free text, e.g. the dead letters redriven and how many, or null
 * @since 0.20.0
 */
public record AuditEntry(long id, Instant at, String actor, String action, String subscription, String detail) {}
