package com.idynic.eventbus.devstack;

import redis.embedded.RedisServer;

/**
 * A real redis-server binary from the embedded-redis jar; nothing persisted. It asks for a password:
 * the subscription cache in it decides who receives what, so no other local user may write to it.
 */
final class Redis implements Service {
    private final int port;
    private final String password;
    private RedisServer server;

    /** @param password URL-safe (it goes into {@code redis://:password@host:port}) */
    Redis(int port, String password) {
        this.port = port;
        this.password = password;
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
                .setting("requirepass " + password)
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
