package com.idynic.eventbus.console;

import com.idynic.eventbus.security.ConsoleSessions;
import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import com.idynic.eventbus.security.ServiceDirectory;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Optional;

/**
 * The signed-in service for this request, as stored now: its key must still be active and it must still
 * hold the operator or admin role. The console's beans hand {@link #account()} to the same service
 * methods the REST API calls, which check permissions and audit with its name.
 */
@Named
@RequestScoped
public class Operator {
    @Inject
    SignedIn signedIn;

    @Inject
    ServiceDirectory services;

    private Optional<ServiceAccount> account;

    /** @return the signed-in service if its key is active and it may use the console, else empty */
    public Optional<ServiceAccount> current() {
        if (account == null) {
            account = signedIn.present() && services.keyActive(signedIn.keyId())
                    ? services.find(signedIn.service()).filter(Operator::mayUseConsole)
                    : Optional.empty();
        }
        return account;
    }

    /** @return the signed-in service (pages run only when {@link ConsoleAccess} found one) */
    public ServiceAccount account() {
        return current().orElseThrow(() -> new IllegalStateException("no operator is signed in"));
    }

    /** @return the signed-in service's name, for the layout */
    public String getName() {
        return current().map(ServiceAccount::name).orElse("");
    }

    /** @return whether the signed-in service is an admin (shows the admin pages) */
    public boolean isAdmin() {
        return current().map(a -> a.roles().contains(Role.ADMIN)).orElse(false);
    }

    /** @return whether a service with these roles may sign in to the console */
    static boolean mayUseConsole(ServiceAccount a) {
        return ConsoleSessions.mayUseConsole(a);
    }
}
