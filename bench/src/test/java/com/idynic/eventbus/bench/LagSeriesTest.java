package com.idynic.eventbus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LagSeriesTest {
    @Test
    void growthIsTheSlopeOfTheLagOverTime() {
        // accepted 1,000/s, delivered 900/s: the lag grows by 100 events per second
        List<LagSeries.Sample> samples = List.of(
                new LagSeries.Sample(0, 0, 0, 0),
                new LagSeries.Sample(1, 1000, 1000, 900),
                new LagSeries.Sample(2, 2000, 2000, 1800),
                new LagSeries.Sample(3, 3000, 3000, 2700));

        assertEquals(100.0, LagSeries.growthPerSecond(samples), 1e-9);
    }

    @Test
    void aLagThatComesAndGoesAroundOneLevelDoesNotGrow() {
        List<LagSeries.Sample> samples = List.of(
                new LagSeries.Sample(0, 1000, 1000, 500),
                new LagSeries.Sample(1, 2000, 2000, 1600),
                new LagSeries.Sample(2, 3000, 3000, 2600),
                new LagSeries.Sample(3, 4000, 4000, 3500));

        assertEquals(0.0, LagSeries.growthPerSecond(samples), 1e-9);
    }

    @Test
    void aDeliveryCountedBeforeItsAcceptanceIsNoNegativeLag() {
        assertEquals(0, new LagSeries.Sample(1, 100, 100, 120).lag());
    }

    @Test
    void fewerThanTwoSamplesHaveNoGrowth() {
        assertTrue(Double.isNaN(LagSeries.growthPerSecond(List.of(new LagSeries.Sample(0, 10, 10, 5)))));
    }

    @Test
    void flatMeansGrowingByAtMostOneTwentiethOfTheAcceptedRate() {
        assertTrue(LagSeries.flat(50, 1000));
        assertFalse(LagSeries.flat(51, 1000));
        assertTrue(LagSeries.flat(-200, 1000));
    }

    @Test
    void onlyTheSamplesOfTheWindowCount() {
        LagSeries series = new LagSeries();
        series.add(new LagSeries.Sample(0.5, 100, 100, 0));
        series.add(new LagSeries.Sample(1.0, 200, 200, 100));
        series.add(new LagSeries.Sample(2.0, 300, 300, 200));
        series.add(new LagSeries.Sample(2.5, 400, 400, 200));

        assertEquals(
                List.of(new LagSeries.Sample(1.0, 200, 200, 100), new LagSeries.Sample(2.0, 300, 300, 200)),
                series.between(1.0, 2.0));
    }
}
