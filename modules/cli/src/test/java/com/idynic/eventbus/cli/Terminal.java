package com.idynic.eventbus.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A context for commands in tests: the fake bus, captured output, a clock that moves only when told. */
final class Terminal {
    final FakeBus bus = new FakeBus();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T03:00:00Z"));
    final List<Duration> sleeps = new ArrayList<>();
    final List<String> forwarded = new ArrayList<>();
    final List<Integer> forwardAnswers = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    Context context(boolean tty) {
        return new Context(
                bus,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                clock,
                d -> {
                    sleeps.add(d);
                    clock.advance(d);
                },
                tty,
                (URI url, String body, java.util.Map<String, String> headers) -> {
                    forwarded.add(url + " " + headers.get("webhook-id") + " " + body);
                    return forwardAnswers.isEmpty() ? 204 : forwardAnswers.remove(0);
                },
                () -> "id" + ids.incrementAndGet(),
                "http://bus.test");
    }

    int run(String... argv) {
        try {
            return Main.dispatch(Args.parse(argv), context(false));
        } catch (CliException e) {
            return e.exitCode();
        } catch (BusError e) {
            new PrintStream(err, true, StandardCharsets.UTF_8).print(ErrorPrinter.format(e));
            return e.exitCode();
        }
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
