package com.idynic.eventbus.runtime;

import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.ServiceDirectory;
import com.idynic.eventbus.subscribers.spi.ReadPermissions;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A subscription owner's current read permissions, from its stored service record (cached for
 * {@code eventbus.auth.directory-ttl} by {@link ServiceDirectory}). An owner with no service record is a label an admin gave the
 * subscription (only admins may name another owner, and services are never deleted), or a service of an
 * external identity provider; both keep what was allowed when the subscription was made.
 */
final class OwnerPermissions implements ReadPermissions {
    private final ServiceDirectory services;

    OwnerPermissions(ServiceDirectory services) {
        this.services = services;
    }

    @Override
    public boolean mayRead(String owner, String eventType) {
        return test(owner, a -> a.mayRead(eventType));
    }

    @Override
    public boolean mayReadSome(String owner, String selector) {
        return test(owner, a -> a.mayReadSome(selector));
    }

    private boolean test(String owner, Predicate<ServiceAccount> rule) {
        Optional<ServiceAccount> a = owner == null ? Optional.empty() : services.find(owner);
        if (a.isEmpty()) {
            return true;
        }
        return rule.test(a.get());
    }
}
