package com.idynic.eventbus.console;

import com.idynic.eventbus.security.Role;
import com.idynic.eventbus.security.ServiceAccount;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.stream.Collectors;

/** The services the bus knows and their roles and permissions (admin only, as {@code GET /v1/services}). */
@Named
@RequestScoped
public class ServicesView {
    @Inject
    BusServices bus;

    private List<ServiceAccount> services;

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
}
