package com.idynic.eventbus.sdk;

import java.util.Objects;

/**
 * Reads {@code data} as one type before the handler runs. An event of another type, or data that does not fit
 * (a required field missing), goes straight to the dead-letter queue: no retry changes it, and a redrive after a
 * fixed deploy brings it back.
 */
final class TypedHandler<T> implements EventHandler {
    private final String eventType;
    private final Class<T> dataType;
    private final DataHandler<T> handler;

    TypedHandler(String eventType, Class<T> dataType, DataHandler<T> handler) {
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void handle(Event event) throws Exception {
        if (!eventType.equals(event.type())) {
            throw new RejectException("expected " + eventType + ", got " + event.type());
        }
        T data;
        try {
            data = event.data(dataType);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new RejectException("data does not fit " + dataType.getSimpleName() + ": " + cause.getMessage());
        }
        handler.handle(data, event);
    }
}
