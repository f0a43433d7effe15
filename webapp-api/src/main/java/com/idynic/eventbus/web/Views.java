package com.idynic.eventbus.web;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.AttemptView;
import com.idynic.eventbus.broker.DeliveryView;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** The JSON of the delivery views the services answer with (the REST contract, apart from the storage records). */
final class Views {
    private Views() {}

    static JsonObject status(DeliveryView d) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("subscriptionId", d.subscriptionId())
                .add("eventId", d.eventId())
                .add("state", d.state())
                .add("attempts", d.attempts());
        if (d.lastError() != null) {
            b.add("lastError", d.lastError());
        }
        if (d.nextAttemptAt() != null) {
            b.add("nextAttemptAt", Timestamps.format(d.nextAttemptAt()));
        }
        if (d.deliveredAt() != null) {
            b.add("deliveredAt", Timestamps.format(d.deliveredAt()));
        }
        if (d.deadAt() != null) {
            b.add("deadAt", Timestamps.format(d.deadAt()));
        }
        if (d.redriveCount() > 0) {
            b.add("redriveCount", d.redriveCount());
        }
        if (d.redrivenAt() != null) {
            b.add("redrivenAt", Timestamps.format(d.redrivenAt()));
        }
        return b.build();
    }

    static JsonObject attempt(AttemptView a) {
        JsonObjectBuilder b = CachedJson.createObjectBuilder()
                .add("subscriptionId", a.subscriptionId())
                .add("attempt", a.attempt())
                .add("startedAt", Timestamps.format(a.startedAt()))
                .add("durationMs", a.durationMs())
                .add("target", a.target())
                .add("outcome", a.outcome());
        if (a.httpStatus() != null) {
            b.add("httpStatus", a.httpStatus());
        }
        if (a.error() != null) {
            b.add("error", a.error());
        }
        return b.build();
    }
}
