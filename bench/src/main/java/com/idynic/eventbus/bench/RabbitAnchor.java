package com.idynic.eventbus.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;

/**
 * RabbitMQ (the machine's own, guest/guest): a durable queue, persistent messages, publisher confirms; one
 * channel per client, each message confirmed before the next (closed loop). Skipped with a note when the server
 * does not answer.
 */
final class RabbitAnchor {
    private final Bench b;
    private final String queue;

    RabbitAnchor(Bench b) {
        this.b = b;
        this.queue = "bench-anchor-" + b.slug;
    }

    void run() throws Exception {
        String[] hostPort = b.options.rabbit().split(":");
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(hostPort[0]);
        f.setPort(hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 5672);
        f.setUsername("guest");
        f.setPassword("guest");
        f.setConnectionTimeout(3000);
        f.setHandshakeTimeout(5000);
        f.setAutomaticRecoveryEnabled(false);
        Connection conn;
        try {
            conn = f.newConnection("eventbus-bench");
        } catch (Exception e) {
            b.results.note("RabbitMQ at " + b.options.rabbit() + " not reachable (" + e.getMessage()
                    + "): RabbitMQ anchor skipped");
            return;
        }
        try (conn) {
            b.results.put(
                    "anchors.rabbitmq.version",
                    String.valueOf(conn.getServerProperties().get("version")));
            try (Channel admin = conn.createChannel()) {
                admin.queueDeclare(queue, true, false, false, null);
                try {
                    for (int clients : b.plan.anchorClients()) {
                        LoadResult r = b.loop.run(clients, i -> client(conn), 0, 1, b.plan);
                        b.results.put("anchors.rabbitmq.publish.c" + clients, r);
                        admin.queuePurge(queue);
                    }
                } finally {
                    admin.queueDelete(queue);
                }
            }
        }
    }

    private ClosedLoop.Client client(Connection conn) throws Exception {
        Channel ch = conn.createChannel();
        ch.confirmSelect();
        return new ClosedLoop.Client() {
            @Override
            public int call() throws Exception {
                ch.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, b.payloads.anchorMessage("rabbit"));
                ch.waitForConfirmsOrDie(30_000);
                return 0;
            }

            @Override
            public void close() throws Exception {
                if (ch.isOpen()) {
                    ch.close();
                }
            }
        };
    }
}
