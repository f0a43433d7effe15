package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Refused bearer tokens are never written whole into the server's logs or FFDC incidents. */
class TokenLoggingIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    static Path serverDir() {
        return Path.of(System.getProperty("eventbus.env", "target/liberty/wlp/usr/servers/eventbus/server.env"))
                .toAbsolutePath()
                .getParent();
    }

    /** @return the log and FFDC files that contain the text */
    static List<String> filesContaining(String text) {
        List<String> hits = new ArrayList<>();
        Path logs = serverDir().resolve("logs");
        if (!Files.isDirectory(logs)) {
            return hits;
        }
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (content.contains(text)) {
                    hits.add(logs.relativize(f).toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hits;
    }

    @Test
    void aBadlySignedOrExpiredTokenIsRefusedWithoutLoggingIt() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey forged = g.generateKeyPair().getPrivate();
        long later = Instant.now().getEpochSecond() + 600;
        long past = Instant.now().getEpochSecond() - 600;
        List<String> tokens = List.of(
                AuthIT.jwt(forged, AuthIT.claims("idynic-event-bus", "idynic-event-bus", later)),
                AuthIT.jwt(AuthIT.busKey(), AuthIT.claims("idynic-event-bus", "idynic-event-bus", past)),
                AuthIT.jwt(AuthIT.busKey(), AuthIT.claims("https://evil.example", "idynic-event-bus", later)));
        for (String t : tokens) {
            AuthIT.assertError(401, "UNAUTHORIZED", AuthIT.call("GET", "/v1/subscriptions", t, null));
            AuthIT.assertError(401, "UNAUTHORIZED", AuthIT.call("GET", "/profile-service/api/received", t, null));
        }
        for (String t : tokens) {
            String signature = t.substring(t.lastIndexOf('.') + 1);
            String body = t.substring(0, t.lastIndexOf('.'));
            assertEquals(List.of(), filesContaining(signature), "the token's signature is not logged");
            assertEquals(List.of(), filesContaining(body), "the token's signed content is not logged");
        }
    }
}
