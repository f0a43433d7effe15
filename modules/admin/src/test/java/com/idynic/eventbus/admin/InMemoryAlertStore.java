package com.idynic.eventbus.admin;

import com.idynic.eventbus.admin.spi.AlertStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Alert rules and history in memory, with the store's rules: conditional moves, one seeding, ordered claims. */
final class InMemoryAlertStore implements AlertStore {
    final Map<String, AlertRule> rules = new TreeMap<>();
    final Map<String, String> secrets = new TreeMap<>();
    final List<AlertEvent> events = new ArrayList<>();
    final Map<Long, Instant> due = new TreeMap<>();
    boolean seeded;
    /** Rules another server moves first: the next transition of such a rule finds it moved. */
    final Set<String> movedElsewhere = new HashSet<>();

    @Override
    public synchronized List<AlertRule> rules() {
        return List.copyOf(rules.values());
    }

    @Override
    public synchronized Optional<AlertRule> rule(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    @Override
    public synchronized boolean create(AlertRule rule, String secret) {
        if (rules.containsKey(rule.id())) {
            return false;
        }
        rules.put(rule.id(), rule);
        if (secret != null) {
            secrets.put(rule.id(), secret);
        }
        return true;
    }

    @Override
    public synchronized boolean replace(AlertRule rule, String secret) {
        AlertRule before = rules.get(rule.id());
        if (before == null) {
            return false;
        }
        rules.put(rule.id(), rule.withState(before.state(), before.stateSince()));
        if (rule.notifyUrl() == null) {
            secrets.remove(rule.id());
        } else if (secret != null) {
            secrets.put(rule.id(), secret);
        }
        return true;
    }

    @Override
    public synchronized boolean delete(String id) {
        secrets.remove(id);
        return rules.remove(id) != null;
    }

    @Override
    public synchronized boolean seedOnce(List<AlertRule> defaults) {
        if (seeded) {
            return false;
        }
        defaults.forEach(r -> rules.put(r.id(), r));
        seeded = true;
        return true;
    }

    @Override
    public synchronized Optional<String> secretOf(String ruleId) {
        return Optional.ofNullable(secrets.get(ruleId));
    }

    @Override
    public synchronized boolean transition(Transition t) {
        AlertRule r = rules.get(t.ruleId());
        if (movedElsewhere.remove(t.ruleId()) || r == null || r.state() != t.from()) {
            return false;
        }
        rules.put(r.id(), r.withState(t.to(), t.at()));
        if (t.event() != null) {
            long id = events.size() + 1;
            boolean notifies = r.notifyUrl() != null;
            events.add(new AlertEvent(
                    id,
                    r.id(),
                    r.name(),
                    r.condition(),
                    r.subscription(),
                    t.event(),
                    t.at(),
                    t.value(),
                    t.message(),
                    notifies ? AlertEvent.Notification.PENDING : AlertEvent.Notification.NONE,
                    0,
                    null));
            if (notifies) {
                due.put(id, t.at());
            }
        }
        return true;
    }

    @Override
    public synchronized List<AlertEvent> history(String ruleId, long before, int limit) {
        return events.stream()
                .filter(e -> ruleId == null || e.ruleId().equals(ruleId))
                .filter(e -> before == 0 || e.id() < before)
                .sorted(Comparator.comparingLong(AlertEvent::id).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<AlertEvent> claimNotifications(Instant now, Duration lease, int max) {
        List<AlertEvent> out = new ArrayList<>();
        Set<String> rulesSeen = new HashSet<>();
        for (int i = 0; i < events.size() && out.size() < max; i++) {
            AlertEvent e = events.get(i);
            if (e.notification() != AlertEvent.Notification.PENDING || !rulesSeen.add(e.ruleId())) {
                continue;
            }
            if (!due.get(e.id()).isAfter(now)) {
                AlertEvent claimed = with(e, e.notification(), e.notifyAttempts() + 1, e.notifyError());
                events.set(i, claimed);
                due.put(e.id(), now.plus(lease));
                out.add(claimed);
            }
        }
        return out;
    }

    @Override
    public synchronized void notified(long eventId, AlertEvent.Notification status, String error, Instant retryAt) {
        int i = (int) eventId - 1;
        AlertEvent e = events.get(i);
        events.set(i, with(e, status, e.notifyAttempts(), error));
        if (retryAt != null) {
            due.put(eventId, retryAt);
        }
    }

    private static AlertEvent with(AlertEvent e, AlertEvent.Notification n, int attempts, String error) {
        return new AlertEvent(
                e.id(),
                e.ruleId(),
                e.ruleName(),
                e.condition(),
                e.subscription(),
                e.kind(),
                e.at(),
                e.value(),
                e.message(),
                n,
                attempts,
                error);
    }
}
