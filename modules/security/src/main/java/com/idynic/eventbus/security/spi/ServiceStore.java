package com.idynic.eventbus.security.spi;

import com.idynic.eventbus.security.ServiceAccount;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable services and their API keys.
 *
 * @since 0.3.0
 */
public interface ServiceStore {
    Optional<ServiceAccount> find(String name);

    List<ServiceAccount> list();

    /** Creates or replaces the service. */
    void save(ServiceAccount service);

    void addKey(ApiKeyRecord key);

    Optional<ApiKeyRecord> findKey(String keyId);

    /** @return the service's keys, newest first */
    List<ApiKeyRecord> keys(String service);

    /** @return true when the key existed and was not yet revoked */
    boolean revoke(String service, String keyId, Instant at);

    /** Records a successful use (best effort). */
    void used(String keyId, Instant at);
}
