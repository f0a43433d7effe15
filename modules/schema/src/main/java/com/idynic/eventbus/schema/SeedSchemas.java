package com.idynic.eventbus.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The seed's two example schemas ({@code user.created}, {@code order.placed}), registered as version 1
 * when their types have no schema yet.
 *
 * @since 0.2.0
 */
public final class SeedSchemas {
    /** The shipped example types. */
    public static final List<String> TYPES = List.of("user.created", "order.placed");

    private SeedSchemas() {}

    /** Registers the examples that are missing. */
    public static void register(SchemaRegistry registry) {
        for (String type : TYPES) {
            try (InputStream in =
                    SeedSchemas.class.getResourceAsStream("/META-INF/eventbus/schemas/" + type + ".json")) {
                registry.seed(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
