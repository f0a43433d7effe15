package com.idynic.eventbus.storage.internal;

import com.idynic.eventbus.api.EnvelopeParser;
import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.PublishReceipt;
import com.idynic.eventbus.broker.spi.StoredEvent;
import java.time.OffsetDateTime;

/** Turns stored columns back into API records. */
public final class Rows {
    private Rows() {}

    /** @return the stored event rebuilt from its payload and columns */
    public static StoredEvent event(
            String payload, String hash, String receipt, OffsetDateTime acceptedAt, boolean relayed) {
        EventEnvelope e = EnvelopeParser.stored(payload, hash.trim());
        return new StoredEvent(e, new PublishReceipt(e.id(), acceptedAt, receipt), relayed);
    }
}
