package com.idynic.eventbus.client;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects bus events for a CDI observer: an exact type ({@code "user.created"}), a prefix pattern
 * ({@code "order.*"}) or {@code "*"}. Every selector used on an observer becomes part of the app's
 * subscription.
 *
 * @since 0.1.0
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface EventType {
    /** @return the selector */
    String value();

    /** Creates {@link EventType} instances for firing. */
    final class Literal extends AnnotationLiteral<EventType> implements EventType {
        private static final long serialVersionUID = 1L;
        private final String value;

        /** @param value the selector */
        public Literal(String value) {
            this.value = value;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
