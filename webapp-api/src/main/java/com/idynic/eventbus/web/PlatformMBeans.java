package com.idynic.eventbus.web;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers the bus's in-process endpoints in the JVM's platform MBean server, where the client library of a
 * co-deployed app (another class space) finds them; a registration left by an earlier start of the bus is replaced.
 */
final class PlatformMBeans {
    private static final Logger LOG = Logger.getLogger(PlatformMBeans.class.getName());

    private PlatformMBeans() {}

    /** @return the registered name, empty when the MBean server refused (co-deployed apps then use HTTP) */
    static <T> Optional<ObjectName> register(String name, T implementation, Class<T> managementInterface) {
        try {
            ObjectName n = new ObjectName(name);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(n)) {
                server.unregisterMBean(n);
            }
            server.registerMBean(new StandardMBean(implementation, managementInterface), n);
            return Optional.of(n);
        } catch (JMException e) {
            LOG.log(Level.WARNING, "in-process endpoint " + name + " not available", e);
            return Optional.empty();
        }
    }

    static void unregister(Optional<ObjectName> name) {
        name.ifPresent(n -> {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(n);
            } catch (JMException ignored) {
                // already gone
            }
        });
    }
}
