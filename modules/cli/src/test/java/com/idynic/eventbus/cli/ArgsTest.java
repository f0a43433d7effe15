package com.idynic.eventbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgsTest {
    @Test
    void optionsStandAnywhereWithSpaceOrEquals() {
        Args a =
                Args.parse("--url", "http://h:1", "publish", "user.created", "--source=svc", "{\"a\":1}", "--key", "k");

        assertEquals(List.of("user.created", "{\"a\":1}"), a.words(1));
        assertEquals(Optional.of("publish"), a.word(0));
        assertEquals(Optional.of("http://h:1"), a.option("url"));
        assertEquals(Optional.of("svc"), a.option("source"));
        assertEquals(Optional.of("k"), a.option("key"));
    }

    @Test
    void repeatedOptionsKeepEveryValueAndFlagsTakeNone() {
        Args a = Args.parse("listen", "sub", "--type", "a.b", "--type", "c.*", "--once");

        assertEquals(List.of("a.b", "c.*"), a.all("type"));
        assertEquals(Optional.of("c.*"), a.option("type"));
        assertTrue(a.flag("once"));
    }

    @Test
    void doubleDashEndsOptions() {
        Args a = Args.parse("dlq", "redrive", "s", "--", "--all");

        assertEquals(List.of("--all"), a.words(3));
        assertEquals(false, a.flag("all"));
    }

    @Test
    void refusesUnknownOptionsMissingValuesAndValuedFlags() {
        assertEquals(
                "unknown option --sauce",
                assertThrows(CliException.class, () -> Args.parse("--sauce", "x"))
                        .getMessage());
        assertEquals(
                "option --from needs a value",
                assertThrows(CliException.class, () -> Args.parse("replay", "--from"))
                        .getMessage());
        assertEquals(
                "option --all takes no value",
                assertThrows(CliException.class, () -> Args.parse("--all=yes")).getMessage());
        CliException e = assertThrows(CliException.class, () -> Args.parse("monitor", "--interval", "0")
                .number("interval", 2));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("--interval must be a positive whole number (got '0')", e.getMessage());
    }

    @Test
    void extraWordsAreRefusedNotIgnored() {
        CliException e = assertThrows(
                CliException.class, () -> Args.parse("smoke-test", "now").atMost(1));
        assertEquals("unexpected argument 'now'", e.getMessage());
    }

    @Test
    void settingsTakeOptionOverEnvironmentOverKeyFile(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        java.nio.file.Files.createDirectories(home.resolve(".eventbus/data/identity"));
        java.nio.file.Files.writeString(home.resolve(".eventbus/data/identity/admin.key"), "ebk_file\n");
        Map<String, String> env = Map.of("EVENTBUS_HOME", home.toString(), "EVENTBUS_URL", "http://env:1/");

        Settings fromFile = Settings.from(Args.parse("monitor"), env, Path.of("/nowhere"));
        Settings fromEnv = Settings.from(Args.parse("monitor"), Map.of("EVENTBUS_API_KEY", "ebk_env"), home);
        Settings fromOption =
                Settings.from(Args.parse("monitor", "--api-key", "ebk_opt", "--url", "http://o:2"), env, home);

        assertEquals("http://env:1", fromFile.url().toString());
        assertEquals("ebk_file", fromFile.apiKey().get());
        assertEquals("http://127.0.0.1:9080", fromEnv.url().toString());
        assertEquals("ebk_env", fromEnv.apiKey().get());
        assertEquals("http://o:2", fromOption.url().toString());
        assertEquals("ebk_opt", fromOption.apiKey().get());
    }

    @Test
    void noKeyAnywhereNamesTheFileAndEndsWithItsOwnCode(@org.junit.jupiter.api.io.TempDir Path empty) {
        Settings s = Settings.from(Args.parse("publish-test-event"), Map.of(), empty);

        CliException e = assertThrows(CliException.class, () -> s.apiKey().get());
        assertEquals(ExitCode.NO_CREDENTIALS, e.exitCode());
        assertTrue(
                e.getMessage()
                        .contains(empty.resolve(".eventbus/data/identity/admin.key")
                                .toString()),
                e.getMessage());
    }
}
