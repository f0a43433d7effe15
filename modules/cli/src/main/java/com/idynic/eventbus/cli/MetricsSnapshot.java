package com.idynic.eventbus.cli;

import java.time.Instant;

/**
 * The figures {@code monitor} shows, read from one scrape of {@code /metrics} (Prometheus text). Counters are
 * this server's; the gauges read from PostgreSQL are the whole bus's ({@code subscription="_all"}). {@code NaN}
 * when the bus did not report the figure.
 */
record MetricsSnapshot(
        Instant at,
        double published,
        double acknowledged,
        double successRate,
        double queueDepth,
        double deadLetters,
        double outboxBacklog,
        double relayLagSeconds) {

    static MetricsSnapshot parse(String text, Instant at) {
        double published = 0;
        double acknowledged = 0;
        double successRate = Double.NaN;
        double queueDepth = Double.NaN;
        double deadLetters = Double.NaN;
        double backlog = Double.NaN;
        double lag = Double.NaN;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = brace >= 0 && brace < space
                    ? line.substring(0, brace)
                    : line.substring(0, space).strip();
            String labels = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1).strip());
            } catch (NumberFormatException e) {
                continue;
            }
            boolean all = labels.contains("subscription=\"_all\"");
            switch (name) {
                case "eventbus_events_published_total" -> published += value;
                case "event_processing_time_seconds_count" -> acknowledged += value;
                case "event_delivery_success_rate" -> successRate = all ? value : successRate;
                case "queue_depth" -> queueDepth = all ? value : queueDepth;
                case "dead_letter_queue_size" -> deadLetters = all ? value : deadLetters;
                case "eventbus_outbox_backlog" -> backlog = value;
                case "eventbus_relay_lag_seconds" -> lag = value;
                default -> {}
            }
        }
        return new MetricsSnapshot(at, published, acknowledged, successRate, queueDepth, deadLetters, backlog, lag);
    }

    /** The screen for this reading; rates per second since {@code previous} (none on the first reading). */
    String render(MetricsSnapshot previous, String url) {
        double seconds = previous == null ? 0 : (at.toEpochMilli() - previous.at.toEpochMilli()) / 1000.0;
        String publishRate = seconds > 0 ? rate(published - previous.published, seconds) : "     -";
        String deliveryRate = seconds > 0 ? rate(acknowledged - previous.acknowledged, seconds) : "     -";
        return "eventbus monitor  " + url + "  " + at + "\n"
                + "  publish rate     " + publishRate + " ev/s   (" + whole(published) + " published by this server)\n"
                + "  delivery rate    " + deliveryRate + " ev/s   (" + whole(acknowledged) + " acknowledged)\n"
                + "  success rate     "
                + (Double.isNaN(successRate) ? "-" : String.format("%.2f %%", successRate * 100))
                + "   (last 5 min)\n"
                + "  queue depth      " + whole(queueDepth) + "\n"
                + "  DLQ size         " + whole(deadLetters) + "\n"
                + "  outbox backlog   " + whole(outboxBacklog) + "   relay lag "
                + (Double.isNaN(relayLagSeconds) ? "-" : String.format("%.1f s", relayLagSeconds)) + "\n";
    }

    private static String rate(double delta, double seconds) {
        return String.format("%6.1f", Math.max(0, delta) / seconds);
    }

    private static String whole(double v) {
        return Double.isNaN(v) ? "-" : String.valueOf((long) v);
    }
}
