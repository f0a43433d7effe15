package com.idynic.eventbus.security;

import com.idynic.eventbus.api.Auditor;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.InvalidFieldException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Administers services and their API keys: create or replace a service (its subscriptions then follow
 * its new permissions), issue, list and revoke keys. Every operation on a named service needs the
 * service to exist, except creating it.
 *
 * @since 0.8.0
 */
public final class ServiceAdmin {
    /** The grammar of a service name. */
    public static final String NAME = "[a-z0-9][a-z0-9._-]{0,99}";

    private final ServiceDirectory directory;
    private final Credentials credentials;
    private final Consumer<String> permissionsChanged;
    private final Clock clock;
    private final Auditor audit;

    /**
     * @param directory services and keys (this server's cache is forgotten on every change)
     * @param credentials issues keys
     * @param permissionsChanged told the name of a service just saved (its subscriptions follow)
     * @param clock the time of a revocation
     * @param audit records each service saved and each key issued or revoked, with the caller's name
     */
    public ServiceAdmin(
            ServiceDirectory directory,
            Credentials credentials,
            Consumer<String> permissionsChanged,
            Clock clock,
            Auditor audit) {
        this.audit = audit;
        this.directory = directory;
        this.credentials = credentials;
        this.permissionsChanged = permissionsChanged;
        this.clock = clock;
    }

    /** @throws InvalidFieldException naming {@code name} unless it matches {@link #NAME} */
    public static void requireName(String name) {
        if (!name.matches(NAME)) {
            throw new InvalidFieldException("name", "must match " + NAME);
        }
    }

    /** @return every service */
    public List<ServiceAccount> list() {
        return directory.list();
    }

    /**
     * @return the service as stored now
     * @throws BusException {@code NOT_FOUND} when there is none
     */
    public ServiceAccount get(String name) {
        return directory
                .stored(name)
                .orElseThrow(() ->
                        new BusException(ErrorCode.NOT_FOUND, "No service '" + name + "'", Map.of("service", name)));
    }

    /**
     * Creates or replaces the service; its subscriptions then follow its permissions.
     *
     * @return whether the service was created (it did not exist)
     */
    public boolean save(String actor, ServiceAccount service) {
        requireName(service.name());
        boolean created = directory.stored(service.name()).isEmpty();
        directory.save(service);
        permissionsChanged.accept(service.name());
        audit.audit(
                actor,
                created ? "service-create" : "service-update",
                null,
                service.name() + ": roles "
                        + String.join(
                                ",",
                                service.roles().stream().sorted().map(Role::id).toList()));
        return created;
    }

    /**
     * Issues a key to an existing service; the key itself is in the answer only.
     *
     * @param validFor how long the key is valid; null for ever
     * @throws BusException {@code NOT_FOUND} when there is no such service
     */
    public ApiKeys.Issued issue(String actor, String name, Duration validFor) {
        get(name);
        ApiKeys.Issued k = credentials.issue(name, validFor);
        audit.audit(
                actor,
                "key-create",
                null,
                name + ": " + k.keyId() + (validFor == null ? "" : ", valid for " + validFor));
        return k;
    }

    /**
     * @return the service's keys, newest first (never the keys themselves, nor their hashes)
     * @throws BusException {@code NOT_FOUND} when there is no such service
     */
    public List<ApiKeyView> keys(String name) {
        get(name);
        return directory.keys(name).stream().map(ApiKeyView::of).toList();
    }

    /**
     * Revokes a key: no new tokens from it; tokens already issued live out their lifetime.
     *
     * @throws BusException {@code NOT_FOUND} unless the service has this key and it was active
     */
    public void revoke(String actor, String name, String keyId) {
        if (!directory.revoke(name, keyId, clock.instant())) {
            throw new BusException(
                    ErrorCode.NOT_FOUND,
                    "No active key '" + keyId + "' for service '" + name + "'",
                    Map.of("service", name, "keyId", keyId));
        }
        audit.audit(actor, "key-revoke", null, name + ": " + keyId);
    }
}
