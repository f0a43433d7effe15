package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.CatalogStore;
import java.time.Instant;

/**
 * The latest stored event of a type as the catalog shows it, its sensitive values masked for the viewer (the stored
 * {@link CatalogStore.Sample} may change without changing it).
 *
 * @param eventId its id
 * @param acceptedAt when the bus accepted it
 * @param json its envelope (JSON) as the viewer may read it
 * @since 0.23.0
 */
public record CatalogSample(String eventId, Instant acceptedAt, String json) {}
