package com.idynic.eventbus.broker.spi;

import com.idynic.eventbus.api.Auditor;

/**
 * Who did what to which subscription. Actions that change deliveries (redrive, discard) write their record
 * themselves, in their own transaction ({@link DeadLetterStore}); this port is for the others.
 *
 * @since 0.8.0
 */
public interface AuditLog extends Auditor {
    /**
     * Records one action.
     *
     * @param actor the service or {@code eventbus} for the bus itself; cut to 200 characters
     * @param action e.g. {@code auto-disable}
     * @param subscriptionId the subscription acted on
     * @param detail free text; cut to 4000 characters
     */
    @Override
    void audit(String actor, String action, String subscriptionId, String detail);
}
