package com.idynic.eventbus.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a command works with: the bus, the terminal, time and the local forwarder, all ports so that commands run
 * in unit tests against fakes. {@code tty}: the output is a terminal (progress redraws in place, monitor clears).
 */
record Context(
        Bus bus,
        PrintStream out,
        PrintStream err,
        Clock clock,
        Sleeper sleeper,
        boolean tty,
        Forwarder forwarder,
        Supplier<String> ids,
        String url) {

    /** Waiting between polls; a port so tests do not wait. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted");
        }
    }
}
