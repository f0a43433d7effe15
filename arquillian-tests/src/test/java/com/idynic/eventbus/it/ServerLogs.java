package com.idynic.eventbus.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** What the server under test wrote to {@code messages.log} and its FFDC folder, to check a path stays quiet. */
final class ServerLogs {
    private ServerLogs() {}

    static Path logs() {
        return TokenLoggingIT.serverDir().resolve("logs");
    }

    /** @return how many lines of {@code messages.log} contain the text (0 when there is no log) */
    static long messageLines(String text) {
        return messageLinesWith(text).size();
    }

    /** @return the lines of {@code messages.log} that contain the text (none when there is no log) */
    static List<String> messageLinesWith(String text) {
        Path log = logs().resolve("messages.log");
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the names of the FFDC incident files that contain the text */
    static Set<String> ffdcFilesContaining(String text) {
        Set<String> hits = new TreeSet<>();
        Path ffdc = logs().resolve("ffdc");
        if (!Files.isDirectory(ffdc)) {
            return hits;
        }
        try (Stream<Path> files = Files.list(ffdc)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("ffdc_")
                        && new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text)) {
                    hits.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    /** @return the names of every FFDC incident file */
    static Set<String> ffdcFiles() {
        return ffdcFilesContaining("");
    }
}
