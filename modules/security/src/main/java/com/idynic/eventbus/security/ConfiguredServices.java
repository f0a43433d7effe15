package com.idynic.eventbus.security;

import com.idynic.eventbus.security.spi.ApiKeyRecord;
import com.idynic.eventbus.security.spi.ServiceStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Services that configuration names together with an API key, created at start so a new installation can be
 * used at once: the bootstrap {@code admin}, and a subscriber of its own for the apps co-deployed on the server
 * (their CDI bridge pulls with it, so its long polls count against that service's slots, not admin's). A
 * service that exists is left as it is, since an admin may have changed its permissions since; the configured
 * key is added to it when missing.
 *
 * @since 0.7.0
 */
public final class ConfiguredServices {
    /** The name of the bootstrap administrator. */
    public static final String ADMIN = "admin";

    private final ServiceStore store;
    private final Credentials credentials;

    /**
     * @param store where services are kept; a service created here is saved through it
     * @param credentials stores the configured keys
     */
    public ConfiguredServices(ServiceStore store, Credentials credentials) {
        this.store = store;
        this.credentials = credentials;
    }

    /**
     * Makes sure the service {@code admin} exists with every role and permission, and has {@code key}.
     *
     * @return why nothing was stored, or empty when the service has the key
     */
    public Optional<String> admin(String key) {
        return ensure(
                new ServiceAccount(ADMIN, Set.of(Role.ADMIN), List.of("*"), List.of("*"), List.of("*"), null, null),
                key);
    }

    /**
     * Makes sure the service {@code name} exists and has {@code key}; when it is new, with the {@code subscriber}
     * role and every event type to subscribe to (a co-deployed app picks its types in code, with its
     * {@code @EventType} observers), and nothing else: co-deployed apps publish through the server's DataSource,
     * not the API, so the service may publish nothing.
     *
     * @return why nothing was stored, or empty when the service has the key
     */
    public Optional<String> subscriber(String name, String key) {
        if (ADMIN.equals(name)) {
            return Optional.of("the co-deployed apps' service may not be '" + ADMIN + "'");
        }
        return ensure(
                new ServiceAccount(name, Set.of(Role.SUBSCRIBER), List.of(), List.of("*"), List.of(), null, null), key);
    }

    private Optional<String> ensure(ServiceAccount created, String key) {
        String name = created.name();
        Optional<ApiKeys.Presented> presented = ApiKeys.parse(key);
        if (presented.isEmpty()) {
            return Optional.of("the key for service '" + name + "' is not an API key (ebk_<16 hex>_<43 chars>)");
        }
        Optional<String> owner = store.findKey(presented.get().keyId())
                .map(ApiKeyRecord::service)
                .filter(s -> !s.equals(name));
        if (owner.isPresent()) {
            return Optional.of("the key for service '" + name + "' is a key of service '" + owner.get()
                    + "'; give each service a key of its own");
        }
        if (store.find(name).isEmpty()) {
            store.save(created);
        }
        credentials.ensure(name, key);
        return Optional.empty();
    }
}
