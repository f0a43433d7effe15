package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.CatalogStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Publisher counts and samples in memory, as the SQL store keeps them. */
final class InMemoryCatalogStore implements CatalogStore {
    final Map<String, Published> totals = new TreeMap<>();
    final List<PublishedInMinute> minutes = new ArrayList<>();
    final Map<String, Sample> samples = new TreeMap<>();
    int adds;
    boolean failing;

    @Override
    public void add(List<Published> t, List<PublishedInMinute> m) {
        if (failing) {
            throw new IllegalStateException("store down");
        }
        adds++;
        for (Published p : t) {
            totals.merge(
                    p.eventType() + "|" + p.source(),
                    p,
                    (a, b) -> new Published(
                            a.eventType(),
                            a.source(),
                            a.firstSeen().isBefore(b.firstSeen()) ? a.firstSeen() : b.firstSeen(),
                            a.lastSeen().isAfter(b.lastSeen()) ? a.lastSeen() : b.lastSeen(),
                            a.published() + b.published()));
        }
        minutes.addAll(m);
    }

    @Override
    public List<Published> publishers() {
        return List.copyOf(totals.values());
    }

    @Override
    public List<Published> publishedSince(Instant since) {
        Map<String, Published> out = new TreeMap<>();
        for (PublishedInMinute m : minutes) {
            if (!m.minute().isBefore(since)) {
                out.merge(
                        m.eventType() + "|" + m.source(),
                        new Published(m.eventType(), m.source(), m.minute(), m.minute(), m.published()),
                        (a, b) -> new Published(
                                a.eventType(), a.source(), a.firstSeen(), b.lastSeen(), a.published() + b.published()));
            }
        }
        List<Published> l = new ArrayList<>(out.values());
        l.sort(Comparator.comparing(Published::eventType));
        return l;
    }

    @Override
    public void pruneMinutes(Instant before) {
        minutes.removeIf(m -> m.minute().isBefore(before));
    }

    @Override
    public Optional<Sample> latest(String eventType) {
        return Optional.ofNullable(samples.get(eventType));
    }
}
