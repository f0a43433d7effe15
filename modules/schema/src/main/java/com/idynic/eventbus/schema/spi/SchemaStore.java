package com.idynic.eventbus.schema.spi;

import com.idynic.eventbus.schema.Compatibility;
import com.idynic.eventbus.schema.SchemaVersion;
import java.util.List;
import java.util.Optional;

/**
 * Durable schema versions and per-type compatibility modes.
 *
 * @since 0.2.0
 */
public interface SchemaStore {
    /** @return every version of the type, oldest first */
    List<SchemaVersion> versions(String eventType);

    /** @return the event types that have schemas */
    List<String> types();

    /** Stores the next version. @return its number */
    int add(String eventType, String schema);

    /** @return true when the version exists (and is now deprecated) */
    boolean deprecate(String eventType, int version);

    /** @return the type's mode, or empty for the default */
    Optional<Compatibility> compatibility(String eventType);

    void setCompatibility(String eventType, Compatibility mode);
}
