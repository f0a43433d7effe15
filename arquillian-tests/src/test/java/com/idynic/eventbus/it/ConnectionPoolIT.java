package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bus's background loops and request threads give their database connections back to the pool when they close
 * them. Liberty keeps a <em>shareable</em> connection used outside a JTA transaction with the thread's local
 * transaction containment until that ends, handle closed or not: a loop that never ends parked one connection for
 * good, and a publish request held the connection of its authentication lookup while it waited for its commit. The
 * 30-minute soak found 39 of the 40 connections parked that way, no handle open on any of them, and the pool
 * exhausted for 20-30 s at a time (J2CA0045E). Read from Liberty's own pool (the connection manager MBean, through
 * JMX attached by pid) after a burst of publishes has gone through every loop.
 */
class ConnectionPoolIT {
    private static final Pattern COUNT = Pattern.compile("(?m)^(size|shared|unshared|available|waiting)=(\\d+)$");

    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void noConnectionIsParkedWithoutAHandleOnceItsWorkIsDone() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = postJson("/v1/events", Stack.userCreated("pool-" + run + "-" + i));
            assertEquals(202, r.statusCode(), r.body());
        }
        try (JMXConnector jmx = jmx(KillAndRestartIT.liberty().orElseThrow().pid())) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            Set<ObjectName> pools = server.queryNames(
                    new ObjectName(
                            "WebSphere:type=com.ibm.ws.jca.cm.mbean.ConnectionManagerMBean,jndiName=jdbc/eventbus,*"),
                    null);
            assertEquals(1, pools.size(), "the bus's connection manager: " + pools);
            ObjectName pool = pools.iterator().next();
            // a moment's work (a delivery's transaction, this test's own requests) may hold one; a parked one stays
            List<String> seen = new ArrayList<>();
            long fewestShared = Long.MAX_VALUE;
            for (int sample = 0; sample < 10 && fewestShared > 0; sample++) {
                Thread.sleep(300);
                String contents = String.valueOf(server.invoke(pool, "showPoolContents", null, null));
                seen.add(contents);
                fewestShared = Math.min(fewestShared, count(contents, "shared"));
            }
            assertEquals(
                    0,
                    fewestShared,
                    "connections parked in the shared pool (held by a thread's local transaction containment with no"
                            + " handle open), in every one of " + seen.size() + " samples; the last:\n"
                            + seen.get(seen.size() - 1));
            String last = seen.get(seen.size() - 1);
            assertEquals(0, count(last, "waiting"), last);
            assertTrue(count(last, "size") >= count(last, "available"), last);
        }
    }

    /** @return a JMX connection to the server's JVM, attached by pid (its local management agent) */
    static JMXConnector jmx(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    private static long count(String contents, String name) {
        Matcher m = COUNT.matcher(contents);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Long.parseLong(m.group(2));
            }
        }
        throw new AssertionError("no '" + name + "=' in the pool's contents:\n" + contents);
    }
}
