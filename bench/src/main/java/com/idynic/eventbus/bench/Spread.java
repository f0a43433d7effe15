package com.idynic.eventbus.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Closed-loop clients spread round-robin over several servers, as a proxy without affinity would: client
 * {@code i} talks to server {@code i mod n} for the whole run.
 */
final class Spread {
    private Spread() {}

    /** @return the server of client {@code clientIndex} (0-based) */
    static <T> T serverOf(int clientIndex, List<T> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no servers to spread clients over");
        }
        return servers.get(Math.floorMod(clientIndex, servers.size()));
    }

    /** @return how many of {@code clients} each of {@code servers} servers gets, in server order */
    static List<Integer> clientsPerServer(int clients, int servers) {
        List<Integer> counts = new ArrayList<>(Collections.nCopies(servers, 0));
        for (int i = 0; i < clients; i++) {
            int s = Math.floorMod(i, servers);
            counts.set(s, counts.get(s) + 1);
        }
        return counts;
    }

    /** A factory whose client {@code i} is made by {@code perServer} for server {@code i mod n}. */
    static <T> ClosedLoop.Factory over(List<T> servers, PerServer<T> perServer) {
        return i -> perServer.open(serverOf(i, servers), i);
    }

    /** Opens one client for its server. */
    interface PerServer<T> {
        ClosedLoop.Client open(T server, int index) throws Exception;
    }
}
