package com.idynic.eventbus.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The connector runs on any MicroProfile runtime only while it imports nothing but the specifications, the SDK and the JDK. */
class SpecificationOnlyTest {
    static final List<String> ALLOWED = List.of(
            "java.",
            "jakarta.annotation.",
            "jakarta.enterprise.context.",
            "org.eclipse.microprofile.config.",
            "org.eclipse.microprofile.reactive.messaging.",
            "org.eclipse.microprofile.reactive.streams.operators.",
            "org.reactivestreams.",
            "com.fasterxml.jackson.",
            "com.idynic.eventbus.sdk.");

    @Test
    void theConnectorImportsOnlyTheSpecificationsTheSdkAndTheJdk() throws IOException {
        List<String> foreign;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            foreign = files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream()
                                    .filter(l -> l.startsWith("import "))
                                    .map(l -> l.substring("import ".length()).replace("static ", ""))
                                    .filter(i -> ALLOWED.stream().noneMatch(i::startsWith))
                                    .map(i -> p.getFileName() + ": " + i);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
        assertEquals(List.of(), foreign);
    }
}
