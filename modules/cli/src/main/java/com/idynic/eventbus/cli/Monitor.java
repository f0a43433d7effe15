package com.idynic.eventbus.cli;

import java.time.Duration;

/**
 * {@code monitor [--interval S] [--once]}: publish and delivery rates, success rate, queue depth and DLQ size from
 * {@code /metrics}, refreshed every interval until Ctrl-C; {@code --once} reads twice, one interval apart, prints
 * one screen and ends (for scripts).
 */
final class Monitor {
    private static final String CLEAR = "\033[H\033[2J";

    private final Context c;

    Monitor(Context c) {
        this.c = c;
    }

    int run(Args a) {
        a.atMost(1);
        Duration interval = Duration.ofSeconds(a.number("interval", 2));
        MetricsSnapshot previous = read();
        if (a.flag("once")) {
            c.pause(interval);
            c.out().print(read().render(previous, c.url()));
            return ExitCode.OK;
        }
        c.out().print(screen(previous.render(null, c.url())));
        while (!Thread.currentThread().isInterrupted()) {
            c.pause(interval);
            MetricsSnapshot now = read();
            c.out().print(screen(now.render(previous, c.url())));
            previous = now;
        }
        return ExitCode.OK;
    }

    private MetricsSnapshot read() {
        return MetricsSnapshot.parse(c.bus().metrics(), c.clock().instant());
    }

    private String screen(String body) {
        return c.tty() ? CLEAR + body + "  (Ctrl-C to stop)\n" : body + "\n";
    }
}
