package com.idynic.eventbus.client.internal;

import com.idynic.eventbus.client.BusEvent;
import com.idynic.eventbus.client.EventType;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import java.lang.annotation.Annotation;
import java.util.Set;
import java.util.TreeSet;

/** Collects the {@link EventType} selectors of every {@code @Observes BusEvent} method in the app. */
public class ObservedTypes implements Extension {
    private final Set<String> selectors = new TreeSet<>();

    void onObserver(@Observes ProcessObserverMethod<BusEvent, ?> pom) {
        for (Annotation a : pom.getObserverMethod().getObservedQualifiers()) {
            if (a instanceof EventType t) {
                selectors.add(t.value());
            }
        }
    }

    /** @return the selectors observed; observers without {@link EventType} subscribe to nothing */
    public Set<String> selectors() {
        return Set.copyOf(selectors);
    }
}
