package com.idynic.eventbus.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles generated sources with the JDK's compiler against Jackson, and loads them. */
final class Javac {
    private Javac() {}

    /**
     * @param sources class name → source, all in {@code pkg}
     * @return a loader for the compiled classes
     * @throws AssertionError with the compiler's messages when they do not compile cleanly
     */
    static ClassLoader compile(Path dir, String pkg, Map<String, String> sources) throws IOException {
        Path src = dir.resolve("src").resolve(pkg.replace('.', '/'));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.createDirectories(src);
        List<String> options =
                List.of("-Xlint:all", "-Werror", "-proc:none", "-classpath", classpath(), "-d", classes.toString());
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> s : sources.entrySet()) {
            files.add(Files.writeString(src.resolve(s.getKey() + ".java"), s.getValue()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        boolean ok;
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            ok = javac.getTask(messages, fm, null, options, null, fm.getJavaFileObjectsFromPaths(files))
                    .call();
        }
        if (!ok || !messages.toString().isBlank()) {
            throw new AssertionError("javac: " + messages);
        }
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, Javac.class.getClassLoader());
    }

    private static String classpath() {
        return Stream.of(JsonProperty.class, JsonNode.class, JsonParser.class)
                .map(Javac::location)
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
