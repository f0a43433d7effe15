package com.idynic.eventbus.subscribers.delivery;

import com.idynic.eventbus.api.EventEnvelope;
import com.idynic.eventbus.api.TraceContext;
import com.idynic.eventbus.broker.Decision;
import com.idynic.eventbus.broker.spi.DeliveryQueue;
import com.idynic.eventbus.broker.spi.Leased;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log lines of deliveries that did not succeed: an attempt that failed and will be retried (INFO), one that
 * sent its event to the dead-letter queue (WARNING), a delivery withheld or one whose outcome could not be
 * recorded. Every line names the event id, event type, subscription and trace id in a fixed {@code key=value}
 * form ({@code eventId=evt-1 eventType=user.created subscription=crm traceId=4bf9…}), and the same four values
 * are structured fields of Liberty's JSON log ({@code ext_eventId}, …) where Liberty is there to add them. The
 * reason is quoted and cut to {@value #MAX_REASON} characters; no target URL, secret or token is ever written.
 *
 * @since 0.19.0
 */
public final class DeliveryLog {
    /** Longest reason written, in characters (a nack's reason comes from the subscriber). */
    static final int MAX_REASON = 200;

    private static final Logger LOG = Logger.getLogger(DeliveryLog.class.getName());

    private DeliveryLog() {}

    /** Logs a settled attempt unless it delivered the event. */
    public static void settled(DeliveryQueue.Settlement s) {
        Decision d = s.decision();
        if (d.kind() == Decision.Kind.DELIVERED) {
            return;
        }
        String what = d.kind() == Decision.Kind.RETRY
                ? "delivery attempt failed, retrying at " + d.retryAt()
                : "delivery attempt failed, dead-lettered";
        log(d.kind() == Decision.Kind.RETRY ? Level.INFO : Level.WARNING, what, s.delivery(), d.reason(), null);
    }

    /** Logs a delivery ended unsent because its owner may no longer read the type. */
    public static void withheld(Leased l, String reason) {
        log(Level.INFO, "delivery withheld", l, reason, null);
    }

    /** Logs an attempt whose outcome could not be recorded (the lease lapses and the event comes again). */
    public static void notSettled(Leased l, Throwable failure) {
        log(Level.WARNING, "delivery outcome not recorded, it is attempted again", l, String.valueOf(failure), failure);
    }

    /**
     * @return the line's {@code key=value} fields, in order: eventId, eventType, subscription, traceId, attempt
     */
    static Map<String, String> fields(Leased l) {
        EventEnvelope e = l.event().envelope();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("eventId", e.id());
        f.put("eventType", e.eventType());
        f.put("subscription", l.subscriptionId());
        f.put("traceId", String.valueOf(TraceContext.traceIdOf(e.traceparent())));
        f.put("attempt", String.valueOf(l.attempt()));
        return f;
    }

    /** @return the message: {@code what: eventId=… eventType=… subscription=… traceId=… attempt=N reason="…"} */
    static String message(String what, Map<String, String> fields, String reason) {
        StringBuilder sb = new StringBuilder(what).append(':');
        fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.append(" reason=\"").append(quoted(reason)).append('"').toString();
    }

    private static void log(Level level, String what, Leased l, String reason, Throwable failure) {
        if (!LOG.isLoggable(level)) {
            return;
        }
        Map<String, String> fields = fields(l);
        String message = message(what, fields, reason);
        LogFields.around(fields, () -> LOG.log(level, message, failure));
    }

    private static String quoted(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > MAX_REASON ? s.substring(0, MAX_REASON) + "…" : s;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c < ' ' ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
