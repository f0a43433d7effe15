package com.idynic.eventbus.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** The {@code eventbus} command: parses the arguments, runs one command, ends with an {@link ExitCode}. */
public final class Main {
    static final String USAGE =
            """
            usage: eventbus COMMAND [ARGS] [--url URL] [--api-key KEY]

              publish TYPE JSON [--source S] [--key K] [--id ID]   publish one event (JSON: its data object)
              publish-test-event [--id ID]                         publish the seed's user.created example
              trigger TYPE                                         publish a test event made from TYPE's schema
              smoke-test [--type T] [--timeout S]                  publish -> temporary pull subscription -> receive
              monitor [--interval S] [--once]                      live publish/delivery rates and DLQ size
              dlq list SUB [--limit N]                             a subscription's dead letters
              dlq redrive SUB (--all | ID...)                      deliver dead letters again
              replay start SUB --from TIME|EVENTID|earliest [--rate N] [--no-wait]
                                                                   replay with a progress bar
              replay status SUB ID                                 a replay's progress
              listen SUB --forward URL [--type T]... [--max-events N]
                                                                   POST a pull subscription's events to a local URL
              types java --package P [--out DIR] [--type T [--version N]]
                                                                   Java records from the registered schemas

            --url / EVENTBUS_URL (default http://127.0.0.1:9080); --api-key / EVENTBUS_API_KEY (default: the dev
            admin key in .eventbus/data/identity/admin.key under EVENTBUS_HOME or the working directory).
            Exit codes: 0 ok, 1 check failed, 2 usage, 3 refused by the bus, 4 bus unavailable, 5 no API key.
            """;

    private Main() {}

    public static void main(String[] argv) {
        boolean tty = System.console() != null;
        System.exit(run(argv, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err, tty));
    }

    /**
     * Runs one command, as {@code main} does, without exiting.
     *
     * @param env the environment to read {@code EVENTBUS_*} from
     * @param cwd where to look for {@code .eventbus/data/identity/admin.key} without {@code EVENTBUS_HOME}
     * @param tty whether {@code out} is a terminal (progress redrawn in place)
     * @return the {@link ExitCode}
     */
    public static int run(
            String[] argv, Map<String, String> env, Path cwd, PrintStream out, PrintStream err, boolean tty) {
        try {
            Args a = Args.parse(argv);
            if (a.word(0).isEmpty() || a.flag("help") || a.word(0).get().equals("help")) {
                out.print(USAGE);
                return a.word(0).isEmpty() && !a.flag("help") ? ExitCode.USAGE : ExitCode.OK;
            }
            Settings s = Settings.from(a, env, cwd);
            Clock clock = Clock.systemUTC();
            Context c = new Context(
                    new HttpBus(s, clock),
                    out,
                    err,
                    clock,
                    d -> Thread.sleep(d.toMillis()),
                    tty,
                    new HttpForwarder(),
                    () -> UUID.randomUUID().toString(),
                    s.url().toString());
            return dispatch(a, c);
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            if (e.exitCode() == ExitCode.USAGE) {
                err.println("run 'eventbus help' for usage");
            }
            return e.exitCode();
        } catch (BusError e) {
            err.print(ErrorPrinter.format(e));
            return e.exitCode();
        }
    }

    static int dispatch(Args a, Context c) {
        String command = a.word(0).orElseThrow();
        return switch (command) {
            case "publish" -> new PublishCommands(c).publish(a);
            case "publish-test-event" -> new PublishCommands(c).publishTestEvent(a);
            case "trigger" -> new PublishCommands(c).trigger(a);
            case "smoke-test" -> new SmokeTest(c).run(a);
            case "monitor" -> new Monitor(c).run(a);
            case "dlq" -> new DeadLetterCommands(c).run(a);
            case "replay" -> new ReplayCommands(c).run(a);
            case "listen" -> new Listen(c).run(a);
            case "types" -> new TypesCommand(c).run(a);
            default -> throw CliException.usage("unknown command '" + command + "'");
        };
    }
}
