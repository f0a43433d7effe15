package com.idynic.eventbus.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * An OTLP/HTTP trace receiver in the test JVM: the test server exports its spans here ({@code
 * EVENTBUS_OTEL_ENDPOINT=http://127.0.0.1:${it.otel.port}}, protocol {@code http/protobuf}). It accepts {@code POST
 * /v1/traces}, decodes just enough of the protobuf {@code ExportTraceServiceRequest} (ids, name, kind, attributes,
 * status) and keeps the most recent spans. It starts with the first JUnit launcher session of the run and listens
 * until the JVM ends, so every test's spans find it and no export fails while tests run (the server's last exports,
 * after the test JVM ended, fail and are logged by OpenTelemetry's exporter).
 */
public final class OtlpReceiver implements LauncherSessionListener {
    /** One received span; ids in lowercase hex, {@code parentSpanId} empty for a root span. */
    record Span(
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            int kind,
            Map<String, String> attributes,
            int statusCode,
            String statusMessage) {}

    private static final int KEPT = 50_000;
    private static final ConcurrentLinkedDeque<Span> SPANS = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static HttpServer server;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        start();
    }

    /**
     * Listens from the first launcher session on, until the JVM ends: a launcher may open and close more than one
     * session in a run (discovery, execution), and the server exports spans until it stops.
     */
    private static synchronized void start() {
        String port = System.getProperty("it.otel.port");
        if (port == null || port.isBlank() || server != null) {
            return;
        }
        try {
            server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port)), 0);
        } catch (IOException e) {
            throw new IllegalStateException("the OTLP receiver cannot listen on port " + port, e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/traces", OtlpReceiver::handle);
        server.start();
        System.out.println("OTLP receiver listening on " + server.getAddress());
    }

    /** @return whether the receiver listens (the run passed {@code it.otel.port}) */
    static synchronized boolean running() {
        return server != null;
    }

    /** @return export requests received so far */
    static int requests() {
        return REQUESTS.get();
    }

    /** @return the received spans of a trace, oldest first */
    static List<Span> trace(String traceId) {
        return SPANS.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private static void handle(HttpExchange ex) throws IOException {
        try {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            REQUESTS.incrementAndGet();
            for (Span s : decode(body)) {
                SPANS.addLast(s);
                if (COUNT.incrementAndGet() > KEPT) {
                    SPANS.pollFirst();
                    COUNT.decrementAndGet();
                }
            }
            // an empty ExportTraceServiceResponse: all accepted
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
        } finally {
            ex.close();
        }
    }

    /** Decodes ExportTraceServiceRequest → ResourceSpans(1) → ScopeSpans(2) → Span(2). */
    static List<Span> decode(byte[] request) {
        List<Span> out = new ArrayList<>();
        for (byte[] resourceSpans : Proto.of(request).bytes(1)) {
            for (byte[] scopeSpans : Proto.of(resourceSpans).bytes(2)) {
                for (byte[] span : Proto.of(scopeSpans).bytes(2)) {
                    out.add(span(Proto.of(span)));
                }
            }
        }
        return out;
    }

    private static Span span(Proto p) {
        Map<String, String> attributes = new HashMap<>();
        for (byte[] kv : p.bytes(9)) {
            Proto keyValue = Proto.of(kv);
            String key = keyValue.string(1);
            List<byte[]> value = keyValue.bytes(2);
            if (!value.isEmpty()) {
                Proto any = Proto.of(value.get(0));
                attributes.put(
                        key,
                        !any.bytes(1).isEmpty()
                                ? any.string(1)
                                : !any.longs(3).isEmpty()
                                        ? String.valueOf(any.longs(3).get(0))
                                        : "?");
            }
        }
        List<byte[]> status = p.bytes(15);
        Proto st = status.isEmpty() ? Proto.of(new byte[0]) : Proto.of(status.get(0));
        return new Span(
                hex(p.bytes(1)),
                hex(p.bytes(2)),
                hex(p.bytes(4)),
                p.string(5),
                p.longs(6).isEmpty() ? 0 : p.longs(6).get(0).intValue(),
                attributes,
                st.longs(3).isEmpty() ? 0 : st.longs(3).get(0).intValue(),
                st.string(2));
    }

    private static String hex(List<byte[]> values) {
        return values.isEmpty() ? "" : HexFormat.of().formatHex(values.get(0));
    }

    /** The fields of one protobuf message: varints and fixed numbers as longs, length-delimited ones as bytes. */
    record Proto(Map<Integer, List<Object>> fields) {
        static Proto of(byte[] buf) {
            Map<Integer, List<Object>> fields = new HashMap<>();
            int[] pos = {0};
            while (pos[0] < buf.length) {
                long tag = varint(buf, pos);
                int field = (int) (tag >>> 3);
                Object value =
                        switch ((int) (tag & 7)) {
                            case 0 -> varint(buf, pos);
                            case 1 -> fixed(buf, pos, 8);
                            case 2 -> {
                                int len = (int) varint(buf, pos);
                                byte[] b = java.util.Arrays.copyOfRange(buf, pos[0], pos[0] + len);
                                pos[0] += len;
                                yield b;
                            }
                            case 5 -> fixed(buf, pos, 4);
                            default -> throw new IllegalArgumentException("unsupported wire type in tag " + tag);
                        };
                fields.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
            }
            return new Proto(fields);
        }

        List<byte[]> bytes(int field) {
            return fields.getOrDefault(field, List.of()).stream()
                    .filter(byte[].class::isInstance)
                    .map(byte[].class::cast)
                    .toList();
        }

        List<Long> longs(int field) {
            return fields.getOrDefault(field, List.of()).stream()
                    .filter(Long.class::isInstance)
                    .map(Long.class::cast)
                    .toList();
        }

        String string(int field) {
            List<byte[]> b = bytes(field);
            return b.isEmpty() ? "" : new String(b.get(0), StandardCharsets.UTF_8);
        }

        private static long varint(byte[] buf, int[] pos) {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = buf[pos[0]++];
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
        }

        private static long fixed(byte[] buf, int[] pos, int size) {
            long v = 0;
            for (int i = 0; i < size; i++) {
                v |= (long) (buf[pos[0]++] & 0xff) << (8 * i);
            }
            return v;
        }
    }
}
