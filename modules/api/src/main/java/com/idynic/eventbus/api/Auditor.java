package com.idynic.eventbus.api;

/**
 * Where the use-case services record who did what (the audit log). Every state-changing action of an operator, an
 * admin or a service is recorded by the service method that does it, so the REST API and the console are audited
 * alike. Implemented in storage ({@code eb_audit}); {@code broker.spi.AuditLog} is this port for the modules that
 * reach the broker's.
 *
 * @since 0.20.0
 */
@FunctionalInterface
public interface Auditor {
    /** Records nothing: for a service that only reads (e.g. the client library's schema validation). */
    Auditor NONE = (actor, action, subscriptionId, detail) -> {};

    /**
     * Records one action.
     *
     * @param actor the service, or {@code eventbus} for the bus itself; cut to 200 characters
     * @param action e.g. {@code subscription-pause}
     * @param subscriptionId the subscription acted on, or null
     * @param detail free text; cut to 4000 characters
     */
    void audit(String actor, String action, String subscriptionId, String detail);
}
