package com.idynic.eventbus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuMeterTest {
    private static final long DEVSTACK = 100;
    private static final long POSTMASTER = 200;
    private static final Map<Long, String> ROOTS = Map.of(10L, "liberty1", 11L, "liberty2", POSTMASTER, "postgres");

    private static Map<Long, CpuMeter.Proc> procs(CpuMeter.Proc... ps) {
        Map<Long, CpuMeter.Proc> m = new LinkedHashMap<>();
        for (CpuMeter.Proc p : ps) {
            m.put(p.pid(), p);
        }
        return m;
    }

    private static String role(CpuMeter.Proc p, Map<Long, CpuMeter.Proc> all) {
        return CpuMeter.role(p, all, ROOTS, DEVSTACK, 50);
    }

    @Test
    void theBusesPostgresBackendsKafkaAndRedisHaveTheirRolesAndTheMachinesOwnPostgresHasNone() {
        // pg_ctl leaves the postmaster to init, outside devstack's tree: its pid names it
        CpuMeter.Proc postmaster = new CpuMeter.Proc(POSTMASTER, 1, "postgres", false, 0);
        CpuMeter.Proc backend = new CpuMeter.Proc(201, 200, "postgres", false, 0);
        CpuMeter.Proc kafka = new CpuMeter.Proc(300, DEVSTACK, "java", true, 0);
        CpuMeter.Proc redis = new CpuMeter.Proc(400, DEVSTACK, "redis-server", false, 0);
        CpuMeter.Proc machinePostgres = new CpuMeter.Proc(500, 1, "postgres", false, 0);
        Map<Long, CpuMeter.Proc> all = procs(postmaster, backend, kafka, redis, machinePostgres);

        assertEquals("postgres", role(postmaster, all));
        assertEquals("postgres", role(backend, all));
        assertEquals("kafka", role(kafka, all));
        assertEquals("redis", role(redis, all));
        assertNull(role(machinePostgres, all));
        assertEquals("liberty2", role(new CpuMeter.Proc(11, 1, "java", false, 0), all));
        assertEquals("bench", role(new CpuMeter.Proc(50, 1, "java", false, 0), all));
    }

    @Test
    void coresAreEachRolesTicksInTheWindowAndOtherIsTheBusyTimeNoRoleUsed() {
        // 100 ticks a second, a 2 s window: 200 ticks are one core
        Map<Long, CpuMeter.Proc> before = procs(
                new CpuMeter.Proc(10, 1, "java", false, 1000),
                new CpuMeter.Proc(200, 1, "postgres", false, 500),
                new CpuMeter.Proc(201, 200, "postgres", false, 100));
        Map<Long, CpuMeter.Proc> after = procs(
                new CpuMeter.Proc(10, 1, "java", false, 1200),
                new CpuMeter.Proc(200, 1, "postgres", false, 520),
                new CpuMeter.Proc(201, 200, "postgres", false, 180),
                new CpuMeter.Proc(202, 200, "postgres", false, 50),
                new CpuMeter.Proc(600, 1, "cc1", false, 999));

        Map<String, Double> cores = CpuMeter.cores(before, after, CpuMeterTest::role, 1.9, 2, 100);

        assertEquals(
                List.of("liberty1", "liberty2", "postgres", "kafka", "redis", "bench", "other", "machineBusy"),
                List.copyOf(cores.keySet()));
        assertEquals(1.0, cores.get("liberty1"), 1e-9);
        assertEquals(0.0, cores.get("liberty2"), 1e-9);
        assertEquals(0.75, cores.get("postgres"), 1e-9);
        assertEquals(0.15, cores.get("other"), 1e-9);
        assertEquals(1.9, cores.get("machineBusy"), 1e-9);
    }
}
