package com.idynic.eventbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final ProgressBar bar = new ProgressBar(10);

    @Test
    void aRunningJobShowsItsShareDoneCountsAndEta() {
        assertEquals("[..........]   0%  0/1000  eta 10s  running", bar.render(0, 1000, 10, "running"));
        assertEquals("[#####.....]  50%  500/1000  eta 2m05s  running", bar.render(500, 1000, 125, "running"));
        assertEquals("[#########.]  99%  999/1000  eta 1h01m  running", bar.render(999, 1000, 3660, "running"));
    }

    @Test
    void anEndedJobShowsNoEtaAndAnEmptyJobIsFullOnceDone() {
        assertEquals("[##########] 100%  1000/1000  done", bar.render(1000, 1000, 0, "done"));
        assertEquals("[##########] 100%  0/0  done", bar.render(0, 0, 0, "done"));
        assertEquals("[..........]   0%  0/0  running", bar.render(0, 0, -1, "running"));
        assertEquals("[###.......]  30%  3/10  cancelled", bar.render(3, 10, 7, "cancelled"));
    }
}
