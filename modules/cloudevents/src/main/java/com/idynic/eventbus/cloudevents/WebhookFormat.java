package com.idynic.eventbus.cloudevents;

import com.idynic.eventbus.api.InvalidFieldException;

/**
 * How a webhook delivery is written, chosen per subscription ({@code target.format}).
 *
 * @since 0.21.0
 */
public enum WebhookFormat {
    /** The seed's own JSON envelope. */
    SEED("seed"),
    /** CloudEvents HTTP binary mode: attributes in {@code ce-*} headers, {@code data} as the body. */
    BINARY("cloudevents-binary"),
    /** CloudEvents HTTP structured mode: one {@code application/cloudevents+json} document. */
    STRUCTURED("cloudevents-structured");

    private final String name;

    WebhookFormat(String name) {
        this.name = name;
    }

    /** @return the name used in a subscription's {@code target.format} */
    public String formatName() {
        return name;
    }

    /**
     * @param name {@code seed}, {@code cloudevents-binary} or {@code cloudevents-structured}; null for seed
     * @return the format
     * @throws InvalidFieldException naming {@code target.format} for any other name
     */
    public static WebhookFormat parse(String name) {
        if (name == null) {
            return SEED;
        }
        for (WebhookFormat f : values()) {
            if (f.name.equals(name)) {
                return f;
            }
        }
        throw new InvalidFieldException(
                "target.format", "must be one of seed, cloudevents-binary, cloudevents-structured");
    }
}
