package com.idynic.eventbus.console;

import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.security.ApiKeyView;
import com.idynic.eventbus.security.ApiKeys;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The services the bus knows and their roles and permissions (admin only, as {@code GET /v1/services}); a service's
 * keys: list, issue (the key is shown once) and revoke, with the {@code ServiceAdmin} methods of
 * {@code /v1/services/{name}/keys}.
 */
@Named
@ViewScoped
public class ServicesView implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    private transient List<ServiceAccount> services;
    private String selected;
    private Long validDays;
    private String issuedKey;
    private String issuedKeyId;

    /** @return every service, by name */
    public List<ServiceAccount> getServices() {
        if (services == null) {
            services = bus.serviceAdmin().list();
        }
        return services;
    }

    /** @return the service's roles as text */
    public String roles(ServiceAccount s) {
        return s.roles().stream().map(Role::id).sorted().collect(Collectors.joining(", "));
    }

    /** Opens a service's keys. */
    public void select(String name) {
        selected = name;
        issuedKey = null;
        issuedKeyId = null;
    }

    /** @return the selected service's keys, newest first, or empty */
    public List<ApiKeyView> getKeys() {
        if (selected == null) {
            return List.of();
        }
        List<ApiKeyView> keys = Messages.attempt(() -> bus.serviceAdmin().keys(selected));
        return keys == null ? List.of() : keys;
    }

    /** Issues a key to the selected service; the key is shown on this page once and kept nowhere. */
    public void issue() {
        if (selected == null) {
            return;
        }
        if (validDays != null && validDays < 1) {
            Messages.error("Invalid request: 'validDays' must be at least 1 (or empty for no expiry)");
            return;
        }
        Duration validFor = validDays == null ? null : Duration.ofDays(validDays);
        ApiKeys.Issued k = Messages.attempt(
                () -> bus.serviceAdmin().issue(operator.account().name(), selected, validFor));
        if (k != null) {
            issuedKey = k.key();
            issuedKeyId = k.keyId();
            Messages.info("Issued key " + k.keyId() + " to " + selected + ". Copy it now: it is not shown again.");
        }
    }

    /** Revokes one of the selected service's keys. */
    public void revoke(String keyId) {
        if (Messages.attempt(() -> {
                    bus.serviceAdmin().revoke(operator.account().name(), selected, keyId);
                    return Boolean.TRUE;
                })
                != null) {
            Messages.info("Revoked key " + keyId + " of " + selected + ".");
            if (keyId.equals(issuedKeyId)) {
                issuedKey = null;
            }
        }
    }

    /** @return a time, ISO-8601, or empty */
    public String time(java.time.Instant t) {
        return t == null ? "" : Timestamps.format(t);
    }

    public String getSelected() {
        return selected;
    }

    public Long getValidDays() {
        return validDays;
    }

    public void setValidDays(Long validDays) {
        this.validDays = validDays;
    }

    /** @return the key just issued (once: gone on the next page load), or null */
    public String getIssuedKey() {
        return issuedKey;
    }

    public String getIssuedKeyId() {
        return issuedKeyId;
    }
}
