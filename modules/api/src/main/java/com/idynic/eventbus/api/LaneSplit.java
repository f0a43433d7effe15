package com.idynic.eventbus.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Spreads a batch of events over a few lanes for parallel work that keeps each ordering key's order: all of a key's
 * events on one lane, the keys (largest first) each on the lane that holds the fewest events so far, so the lanes
 * finish together (a batch is done when its slowest lane is). The one home of this rule for the bus's ordered webhook
 * runs and the co-deployed client's observer lanes.
 *
 * @since 0.23.0
 */
public final class LaneSplit {
    private LaneSplit() {}

    /**
     * @param items the batch, in order
     * @param lanes most lanes (at least 1 is used)
     * @param keyOf an item's ordering key, or null for an item that is a key of its own
     * @param <T> the item type
     * @return {@code max(1, lanes)} lanes (some may be empty), each holding its items in batch order
     */
    public static <T> List<List<T>> balanced(List<T> items, int lanes, Function<T, String> keyOf) {
        List<Object> keys = new ArrayList<>(items.size());
        Map<Object, Integer> sizes = new LinkedHashMap<>();
        for (T item : items) {
            String key = keyOf.apply(item);
            Object k = key == null ? new Object() : key;
            keys.add(k);
            sizes.merge(k, 1, Integer::sum);
        }
        List<Map.Entry<Object, Integer>> bySize = new ArrayList<>(sizes.entrySet());
        bySize.sort(Map.Entry.<Object, Integer>comparingByValue().reversed());
        int[] load = new int[Math.max(1, lanes)];
        Map<Object, Integer> laneOf = new HashMap<>();
        for (Map.Entry<Object, Integer> k : bySize) {
            int least = 0;
            for (int i = 1; i < load.length; i++) {
                if (load[i] < load[least]) {
                    least = i;
                }
            }
            laneOf.put(k.getKey(), least);
            load[least] += k.getValue();
        }
        List<List<T>> out = new ArrayList<>(load.length);
        for (int i = 0; i < load.length; i++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < items.size(); i++) {
            out.get(laneOf.get(keys.get(i))).add(items.get(i));
        }
        return out;
    }
}
