package com.idynic.eventbus.bench;

import java.net.http.HttpResponse;
import java.util.List;

/**
 * An HTTP pull client of one subscription, as the bus's README shows it: lease up to {@code maxEvents} (waiting up
 * to 1 s for the first, 60 s to acknowledge), then acknowledge a pulled batch in one request.
 */
final class PullClient {
    private final BusClient bus;
    private final String subscriptionId;
    private final int maxEvents;

    PullClient(BusClient bus, String subscriptionId, int maxEvents) {
        this.bus = bus;
        this.subscriptionId = subscriptionId;
        this.maxEvents = maxEvents;
    }

    /** @return the ids of the events leased, in the order the bus handed them out; none after a 429 (200 ms later) */
    List<String> pull() throws Exception {
        HttpResponse<String> r = bus.post(
                "/v1/subscriptions/" + subscriptionId + "/pull",
                "{\"maxEvents\":" + maxEvents + ",\"waitMillis\":1000,\"ackDeadlineMillis\":60000}");
        if (r.statusCode() == 429) {
            Thread.sleep(200);
            return List.of();
        }
        BusClient.expect(r, 200);
        return Json.array(Json.object(r.body()), "events").stream()
                .map(e -> e.asJsonObject().getJsonObject("event").getString("id"))
                .toList();
    }

    /** @return events the bus settled: fewer than {@code ids} when some leases had lapsed */
    long ack(List<String> ids) throws Exception {
        StringBuilder sb = new StringBuilder("{\"eventIds\":[");
        for (int i = 0; i < ids.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(JsonOut.quote(ids.get(i)));
        }
        HttpResponse<String> r = BusClient.expect(
                bus.post(
                        "/v1/subscriptions/" + subscriptionId + "/ack",
                        sb.append("]}").toString()),
                200);
        return Json.number(Json.object(r.body()), "settled").orElse((long) ids.size());
    }
}
