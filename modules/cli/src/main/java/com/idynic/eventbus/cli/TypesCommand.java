package com.idynic.eventbus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.idynic.eventbus.cli.JavaRecords.JavaSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code types java --package P [--out DIR] [--type T [--version N]]}: one Java record per registered event type
 * (its latest schema version, or {@code --version}), written to {@code DIR/P/Name.java}. The TypeScript side is
 * the JavaScript SDK's {@code eventbus-types}.
 */
final class TypesCommand {
    static final String DEFAULT_OUT = "src/main/java";

    private final Context c;

    private record Generated(JavaSource source, String type, int version) {}

    TypesCommand(Context c) {
        this.c = c;
    }

    int run(Args a) {
        String language = a.required(1, "language: types java --package P");
        a.atMost(2);
        if (!language.equals("java")) {
            throw CliException.usage("unknown language '" + language
                    + "': types java (TypeScript: npx eventbus-types, in the JavaScript SDK)");
        }
        String pkg = a.option("package")
                .orElseThrow(() -> CliException.usage("missing --package (e.g. --package com.acme.events)"));
        if (!JavaNames.isPackage(pkg)) {
            throw CliException.usage("--package must be a Java package name (got '" + pkg + "')");
        }
        if (a.option("version").isPresent() && a.option("type").isEmpty()) {
            throw CliException.usage("--version needs --type: a version number is one type's");
        }
        String version = a.option("version").isPresent() ? String.valueOf(a.number("version", 1)) : "latest";
        List<String> types = a.option("type").map(List::of).orElseGet(this::registeredTypes);
        List<Generated> generated = new ArrayList<>();
        Map<String, String> typeOf = new HashMap<>();
        for (String type : types) {
            JsonNode v = c.bus().schema(type, version);
            int n = v.path("version").asInt();
            JavaSource s = JavaRecords.generate(v.path("schema"), type, n, pkg);
            String clash = typeOf.put(s.className(), type);
            if (clash != null) {
                throw CliException.usage(clash + " and " + type + " are both " + s.className()
                        + ": generate one of them with --type and another --package");
            }
            generated.add(new Generated(s, type, n));
        }
        Path dir = Path.of(a.option("out").orElse(DEFAULT_OUT)).resolve(pkg.replace('.', '/'));
        for (Generated g : generated) {
            Path file = dir.resolve(g.source().className() + ".java");
            write(file, g.source().source());
            c.out().println("wrote " + file + " (" + g.type() + " v" + g.version() + ")");
        }
        c.out().println(generated.size() + (generated.size() == 1 ? " record" : " records") + " in " + dir);
        return ExitCode.OK;
    }

    private List<String> registeredTypes() {
        List<String> types = new ArrayList<>();
        c.bus()
                .schemas()
                .path("schemas")
                .forEach(s -> types.add(s.path("eventType").asText()));
        return types;
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILED, "cannot write " + file + ": " + e);
        }
    }
}
