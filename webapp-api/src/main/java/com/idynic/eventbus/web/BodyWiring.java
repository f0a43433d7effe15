package com.idynic.eventbus.web;

import com.idynic.eventbus.runtime.BodyLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the server-wide body budget from the request body limits. */
@ApplicationScoped
public class BodyWiring {
    @Produces
    @Singleton
    BodyBudget budget(BodyLimits limits) {
        return new BodyBudget(limits.budgetBytes());
    }
}
