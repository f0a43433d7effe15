package com.idynic.eventbus.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the bus is and which key to use, read once: {@code --url} / {@code EVENTBUS_URL} (default
 * {@code http://127.0.0.1:9080}); {@code --api-key} / {@code EVENTBUS_API_KEY}, else the dev admin key that
 * {@code ./eventbus run} writes to {@code .eventbus/data/identity/admin.key} under {@code EVENTBUS_HOME} (or
 * the working directory). The key is read only when a call needs one ({@code monitor} does not).
 */
record Settings(URI url, Supplier<String> apiKey) {
    static final String DEFAULT_URL = "http://127.0.0.1:9080";
    static final Path KEY_FILE = Path.of(".eventbus", "data", "identity", "admin.key");

    static Settings from(Args args, Map<String, String> env, Path cwd) {
        String url = args.option("url").orElse(env.getOrDefault("EVENTBUS_URL", DEFAULT_URL));
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--url is not a URL: " + url);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw CliException.usage("--url must be an http(s) URL (got '" + url + "')");
        }
        String given = args.option("api-key").orElse(env.get("EVENTBUS_API_KEY"));
        Path home = env.containsKey("EVENTBUS_HOME") ? Path.of(env.get("EVENTBUS_HOME")) : cwd;
        Path keyFile = home.resolve(KEY_FILE);
        return new Settings(uri, () -> given != null && !given.isBlank() ? given.strip() : readKey(keyFile));
    }

    private static String readKey(Path file) {
        try {
            String key = Files.readString(file).strip();
            if (!key.isEmpty()) {
                return key;
            }
        } catch (IOException e) {
            // reported below, naming the file
        }
        throw new CliException(
                ExitCode.NO_CREDENTIALS,
                "no API key: pass --api-key or set EVENTBUS_API_KEY (or run in the project directory, or set"
                        + " EVENTBUS_HOME to it, so that the dev admin key " + file + " is found)");
    }
}
