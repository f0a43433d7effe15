package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The bus operations the CLI calls, each one REST call (the same the console and the SDK use). Answers are the
 * bus's JSON; a refusal or no answer throws {@link BusError}.
 */
interface Bus {
    /** {@code POST /v1/events}: the receipt. */
    JsonNode publish(ObjectNode envelope);

    /** {@code GET /v1/schemas}: {@code {"schemas":[{"eventType":…,"compatibility":…,"versions":n}]}}. */
    JsonNode schemas();

    /**
     * {@code GET /v1/schemas/{type}/versions/{version}}: {@code {"eventType":…,"version":…,"schema":{…}}}.
     *
     * @param version a number, or {@code latest} (the newest not deprecated)
     */
    JsonNode schema(String eventType, String version);

    /** {@code PUT /v1/subscriptions/{id}}. */
    JsonNode putSubscription(String id, ObjectNode subscription);

    /** {@code DELETE /v1/subscriptions/{id}}. */
    void deleteSubscription(String id);

    /** {@code POST /v1/subscriptions/{id}/pull}: {@code {"events":[{"event":{…},"attempt":1,…}]}}. */
    JsonNode pull(String subscription, int maxEvents, long waitMillis);

    /** {@code POST /v1/subscriptions/{id}/ack}: how many were settled. */
    int ack(String subscription, List<String> eventIds);

    /** {@code POST /v1/subscriptions/{id}/nack}: retried by the subscription's policy. */
    int nack(String subscription, List<String> eventIds, String reason);

    /** {@code GET /v1/subscriptions/{id}/dead-letters?limit=…}. */
    JsonNode deadLetters(String subscription, int limit);

    /** {@code POST /v1/subscriptions/{id}/dead-letters/redrive}: ids, or every one when {@code eventIds} is empty. */
    JsonNode redrive(String subscription, List<String> eventIds);

    /** {@code POST /v1/subscriptions/{id}/replays}: the started job. */
    JsonNode startReplay(String subscription, ObjectNode request);

    /** {@code GET /v1/subscriptions/{id}/replays/{replayId}}: the job's progress. */
    JsonNode replay(String subscription, String replayId);

    /** {@code GET /metrics}: Prometheus text (needs no token). */
    String metrics();
}
