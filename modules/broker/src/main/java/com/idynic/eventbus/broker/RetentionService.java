package com.idynic.eventbus.broker;

import com.idynic.eventbus.api.Auditor;
import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.ErrorCode;
import com.idynic.eventbus.api.EventTypes;
import com.idynic.eventbus.api.InvalidFieldException;
import com.idynic.eventbus.broker.spi.RetentionPolicy;
import com.idynic.eventbus.broker.spi.RetentionStore;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What operators do with retention: read the policies and the last run, set or remove the policy of one
 * exact event type (kept from 1 second to 100 years, optionally at most a positive count of the newest
 * events), start a run and follow one. Runs themselves are {@link RetentionManager}'s.
 *
 * @since 0.8.0
 */
public final class RetentionService {
    /** The longest a policy may keep events: 100 years, in seconds. */
    public static final long MAX_AGE_SECONDS = 3_153_600_000L;

    private final RetentionManager manager;
    private final RetentionStore store;
    private final Auditor audit;

    /** @param audit records each policy set or removed and each run started, with the caller's name */
    public RetentionService(RetentionManager manager, RetentionStore store, Auditor audit) {
        this.manager = manager;
        this.store = store;
        this.audit = audit;
    }

    /**
     * Retention as it stands.
     *
     * @param defaultMaxAge the age limit of types without a policy
     * @param policies every per-type policy
     * @param removedTotal events removed by this server since start
     * @param lastRun the most recently started run, if any
     */
    public record Overview(
            Duration defaultMaxAge,
            List<RetentionPolicyView> policies,
            long removedTotal,
            Optional<RetentionRunView> lastRun) {}

    /**
     * What a request to start a run got.
     *
     * @param run the run started, or the one already running (on any server)
     * @param started whether this request started {@code run}
     * @since 0.23.0
     */
    public record Start(RetentionRunView run, boolean started) {}

    /** @return the policies, the default and the last run */
    public Overview overview() {
        List<RetentionPolicyView> policies =
                manager.policies().stream().map(RetentionPolicyView::of).toList();
        return new Overview(
                manager.defaultMaxAge(),
                policies,
                manager.removedTotal(),
                manager.latest().map(RetentionRunView::of));
    }

    /**
     * Sets the policy of one event type from {@code {"maxAgeSeconds":604800,"maxCount":1000000}}.
     *
     * @return the policy stored
     * @throws InvalidFieldException naming {@code eventType}, {@code maxAgeSeconds} or {@code maxCount}
     */
    public RetentionPolicyView savePolicy(String actor, String eventType, JsonObject policy) {
        if (!EventTypes.isType(eventType)) {
            throw new InvalidFieldException("eventType", "must be an exact event type");
        }
        if (!(policy.get("maxAgeSeconds") instanceof JsonNumber age) || !within(age, MAX_AGE_SECONDS)) {
            throw new InvalidFieldException(
                    "maxAgeSeconds", "must be a whole number of seconds from 1 to " + MAX_AGE_SECONDS + " (100 years)");
        }
        Long count = null;
        JsonValue c = policy.get("maxCount");
        if (c != null && c.getValueType() != JsonValue.ValueType.NULL) {
            if (!(c instanceof JsonNumber n) || !within(n, Long.MAX_VALUE)) {
                throw new InvalidFieldException("maxCount", "must be a positive integer");
            }
            count = n.longValue();
        }
        RetentionPolicy p = new RetentionPolicy(eventType, Duration.ofSeconds(age.longValue()), count);
        store.save(p);
        audit.audit(
                actor,
                "retention-policy-set",
                null,
                eventType + ": maxAgeSeconds " + age.longValue() + (count == null ? "" : ", maxCount " + count));
        return RetentionPolicyView.of(p);
    }

    /** Whether {@code n} is a whole number from 1 to {@code max}. */
    private static boolean within(JsonNumber n, long max) {
        return n.isIntegral()
                && n.bigDecimalValue().compareTo(BigDecimal.ONE) >= 0
                && n.bigDecimalValue().compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    /** @throws BusException {@code NOT_FOUND} when the type has no policy */
    public void deletePolicy(String actor, String eventType) {
        if (!store.delete(eventType)) {
            throw new BusException(
                    ErrorCode.NOT_FOUND, "No retention policy for '" + eventType + "'", Map.of("eventType", eventType));
        }
        audit.audit(actor, "retention-policy-delete", null, eventType);
    }

    /** @return the run started, or the one already running (on any server) with {@code started} false */
    public Start start(String actor) {
        RetentionManager.Start start = manager.start();
        if (start.started()) {
            audit.audit(actor, "retention-run", null, start.run().id());
        }
        return new Start(RetentionRunView.of(start.run()), start.started());
    }

    /** @throws BusException {@code NOT_FOUND} when no run has this id */
    public RetentionRunView run(String runId) {
        return manager.find(runId)
                .map(RetentionRunView::of)
                .orElseThrow(() -> new BusException(
                        ErrorCode.NOT_FOUND, "No retention run '" + runId + "'", Map.of("runId", runId)));
    }
}
