package com.idynic.eventbus.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.Locale;

/**
 * NATS JetStream (the machine's own): a stream with file storage, one synchronous publish per message (the
 * client waits for the stream's ack), on one shared connection. JetStream acknowledges once the message is
 * written, not fsynced (the server syncs every 2 minutes by default), so it is not as durable as the others.
 */
final class NatsAnchor {
    private final Bench b;
    private final String stream;
    private final String subject;

    NatsAnchor(Bench b) {
        this.b = b;
        this.stream = "BENCH_" + b.slug.toUpperCase(Locale.ROOT);
        this.subject = "bench.anchor." + b.slug;
    }

    void run() throws Exception {
        Connection nc;
        try {
            nc = Nats.connect(Options.builder()
                    .server(b.options.nats())
                    .connectionTimeout(Duration.ofSeconds(3))
                    .noReconnect()
                    .build());
        } catch (Exception e) {
            b.results.note("NATS at " + b.options.nats() + " not reachable (" + e + "): NATS JetStream anchor skipped");
            return;
        }
        try {
            b.results.put("anchors.nats.version", nc.getServerInfo().getVersion());
            JetStreamManagement jsm;
            try {
                jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder()
                        .name(stream)
                        .subjects(subject)
                        .storageType(StorageType.File)
                        .replicas(1)
                        .build());
            } catch (Exception e) {
                b.results.note("NATS at " + b.options.nats() + " has no usable JetStream (" + e
                        + "): NATS JetStream anchor skipped");
                return;
            }
            b.results.note("NATS JetStream acknowledges a publish before the message is fsynced (sync_interval,"
                    + " 2 min by default): its figures are not durable against an OS crash, unlike PostgreSQL's"
                    + " and RabbitMQ's (and the bus's)");
            try {
                JetStream js = nc.jetStream(JetStreamOptions.builder()
                        .requestTimeout(Duration.ofSeconds(30))
                        .build());
                for (int clients : b.plan.anchorClients()) {
                    LoadResult r = b.loop.run(
                            clients,
                            i -> () -> {
                                js.publish(subject, b.payloads.anchorMessage("nats"));
                                return 0;
                            },
                            0,
                            1,
                            b.plan);
                    b.results.put("anchors.nats.publish.c" + clients, r);
                    jsm.purgeStream(stream);
                }
            } finally {
                jsm.deleteStream(stream);
            }
        } finally {
            nc.close();
        }
    }
}
