package com.idynic.eventbus.devstack;

import redis.embedded.RedisServer;

/** A real redis-server binary from the embedded-redis jar; nothing persisted. */
final class Redis implements Service {
    private final int port;
    private RedisServer server;

    Redis(int port) {
        this.port = port;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        server = RedisServer.newRedisServer()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
    }

    @Override
    public synchronized void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public synchronized boolean running() {
        return server != null;
    }
}
