package com.idynic.eventbus.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.idynic.eventbus.admin.AlertEvent;
import com.idynic.eventbus.admin.AlertMetric;
import com.idynic.eventbus.admin.AlertRule;
import com.idynic.eventbus.admin.spi.AlertStore;
import com.idynic.eventbus.security.SecretBox;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alert rules and their history on a real PostgreSQL: secrets sealed, state moved once, notifications in order. */
class JdbcAlertStoreTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    static JdbcAlertStore store;

    @BeforeAll
    static void start() throws IOException {
        JdbcDeliveryArchiveTest.start();
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        store = new JdbcAlertStore(JdbcDeliveryArchiveTest.ds, new SecretBox(key, List.of()));
    }

    @AfterAll
    static void stop() throws IOException {
        JdbcDeliveryArchiveTest.stop();
    }

    static AlertRule rule(String url) {
        return new AlertRule(
                "alr-" + UUID.randomUUID().toString().substring(0, 12),
                "DLQ of billing",
                AlertMetric.DEAD_LETTER_QUEUE_SIZE,
                AlertRule.Comparison.ABOVE,
                100,
                "billing",
                Duration.ofSeconds(60),
                true,
                url,
                AlertRule.State.OK,
                NOW,
                NOW,
                NOW);
    }

    static String stored(String sql, String id) {
        try (Connection c = JdbcDeliveryArchiveTest.ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static AlertStore.Transition move(AlertRule r, AlertRule.State from, AlertRule.State to, AlertEvent.Kind kind) {
        return new AlertStore.Transition(r.id(), from, to, NOW, kind, 130.0, "dead_letter_queue_size is 130");
    }

    @Test
    void aRuleIsStoredAsGivenWithItsNotificationSecretEncrypted() {
        AlertRule r = rule("https://ops.example/alerts");

        assertTrue(store.create(r, SECRET));
        assertFalse(store.create(r, SECRET), "one rule per id");

        assertEquals(Optional.of(r), store.rule(r.id()));
        String sealed = stored("select notify_secret from eb_alert_rule where id = ?", r.id());
        assertTrue(sealed.startsWith(SecretBox.PREFIX), sealed);
        assertFalse(sealed.contains(SECRET.substring(6)));
        assertEquals(Optional.of(SECRET), store.secretOf(r.id()));
    }

    @Test
    void aReplaceKeepsTheSecretUnlessGivenOneAndDropsItWithTheUrl() {
        AlertRule r = rule("https://ops.example/alerts");
        store.create(r, SECRET);
        store.transition(move(r, AlertRule.State.OK, AlertRule.State.FIRING, AlertEvent.Kind.FIRING));
        AlertRule changed = new AlertRule(
                r.id(),
                "renamed",
                r.metric(),
                r.operator(),
                5,
                null,
                Duration.ZERO,
                false,
                r.notifyUrl(),
                AlertRule.State.OK,
                NOW,
                NOW,
                NOW.plusSeconds(60));

        assertTrue(store.replace(changed, null));

        AlertRule now = store.rule(r.id()).orElseThrow();
        assertEquals(List.of("renamed", 5.0, false), List.of(now.name(), now.threshold(), now.enabled()));
        assertEquals(AlertRule.State.FIRING, now.state(), "the state is the bus's");
        assertEquals(Optional.of(SECRET), store.secretOf(r.id()));
        String other = "whsec_" + "B".repeat(40);
        store.replace(changed, other);
        assertEquals(Optional.of(other), store.secretOf(r.id()));
        store.replace(rule(null), null);
        AlertRule withoutUrl = new AlertRule(
                r.id(),
                "renamed",
                r.metric(),
                r.operator(),
                5,
                null,
                Duration.ZERO,
                true,
                null,
                AlertRule.State.OK,
                NOW,
                NOW,
                NOW);
        store.replace(withoutUrl, null);
        assertEquals(Optional.empty(), store.secretOf(r.id()));
        assertEquals(null, stored("select notify_secret from eb_alert_rule where id = ?", r.id()));
        assertFalse(store.replace(rule(null), null), "an unknown rule");
    }

    @Test
    void aStateMovesOnceAndEachFiringAndResolutionIsRecordedWithTheRuleAsItWas() {
        AlertRule r = rule("https://ops.example/alerts");
        store.create(r, SECRET);

        assertTrue(store.transition(move(r, AlertRule.State.OK, AlertRule.State.FIRING, AlertEvent.Kind.FIRING)));
        assertFalse(
                store.transition(move(r, AlertRule.State.OK, AlertRule.State.FIRING, AlertEvent.Kind.FIRING)),
                "a second server finds it moved");
        assertTrue(store.transition(move(r, AlertRule.State.FIRING, AlertRule.State.OK, AlertEvent.Kind.RESOLVED)));

        List<AlertEvent> h = store.history(r.id(), 0, 10);
        assertEquals(
                List.of(AlertEvent.Kind.RESOLVED, AlertEvent.Kind.FIRING),
                h.stream().map(AlertEvent::kind).toList());
        AlertEvent fired = h.get(1);
        assertEquals(
                List.of(r.id(), "DLQ of billing", "dead_letter_queue_size of subscription billing > 100", "billing"),
                List.of(fired.ruleId(), fired.ruleName(), fired.condition(), fired.subscription()));
        assertEquals(130.0, fired.value());
        assertEquals(AlertEvent.Notification.PENDING, fired.notification());
        assertEquals(List.of(fired), store.history(r.id(), h.get(0).id(), 10), "paging by id");
        assertEquals(1, store.history(r.id(), 0, 1).size());
    }

    @Test
    void aRuleWithoutAUrlRecordsNoNotificationAndAPendingMoveNoEntry() {
        AlertRule r = rule(null);
        store.create(r, null);

        store.transition(move(r, AlertRule.State.OK, AlertRule.State.PENDING, null));
        store.transition(move(r, AlertRule.State.PENDING, AlertRule.State.FIRING, AlertEvent.Kind.FIRING));

        List<AlertEvent> h = store.history(r.id(), 0, 10);
        assertEquals(1, h.size());
        assertEquals(AlertEvent.Notification.NONE, h.get(0).notification());
    }

    @Test
    void notificationsAreClaimedOldestFirstOnePerRuleAndNotAgainWithinTheLease() {
        AlertRule a = rule("https://ops.example/a");
        AlertRule b = rule("https://ops.example/b");
        store.create(a, SECRET);
        store.create(b, SECRET);
        store.transition(move(a, AlertRule.State.OK, AlertRule.State.FIRING, AlertEvent.Kind.FIRING));
        store.transition(move(a, AlertRule.State.FIRING, AlertRule.State.OK, AlertEvent.Kind.RESOLVED));
        store.transition(move(b, AlertRule.State.OK, AlertRule.State.FIRING, AlertEvent.Kind.FIRING));
        long aFired = store.history(a.id(), 0, 10).get(1).id();
        long aResolved = store.history(a.id(), 0, 10).get(0).id();
        long bFired = store.history(b.id(), 0, 10).get(0).id();
        Instant later = Instant.now().plusSeconds(1);

        List<AlertEvent> first = mine(store.claimNotifications(later, Duration.ofSeconds(15), 100), a, b);

        assertEquals(List.of(aFired, bFired), first.stream().map(AlertEvent::id).toList());
        assertEquals(
                List.of(1, 1), first.stream().map(AlertEvent::notifyAttempts).toList());
        assertEquals(
                List.of(), mine(store.claimNotifications(later.plusSeconds(14), Duration.ofSeconds(15), 100), a, b));
        store.notified(aFired, AlertEvent.Notification.SENT, null, null);
        store.notified(bFired, AlertEvent.Notification.PENDING, "HTTP 500", later.plusSeconds(5));

        List<AlertEvent> next = mine(store.claimNotifications(later.plusSeconds(5), Duration.ofSeconds(15), 100), a, b);

        assertEquals(
                List.of(aResolved, bFired), next.stream().map(AlertEvent::id).toList());
        assertEquals(
                List.of(1, 2), next.stream().map(AlertEvent::notifyAttempts).toList());
        assertEquals("HTTP 500", next.get(1).notifyError());
    }

    private static List<AlertEvent> mine(List<AlertEvent> claimed, AlertRule... rules) {
        List<String> ids = Arrays.stream(rules).map(AlertRule::id).toList();
        return claimed.stream().filter(e -> ids.contains(e.ruleId())).toList();
    }

    @Test
    void theDefaultRulesAreStoredOnceInTheLifeOfTheDatabase() {
        AlertRule d = new AlertRule(
                "default-" + UUID.randomUUID().toString().substring(0, 8),
                "Queue depth",
                AlertMetric.QUEUE_DEPTH,
                AlertRule.Comparison.ABOVE,
                10_000,
                null,
                Duration.ofMinutes(1),
                true,
                null,
                AlertRule.State.OK,
                NOW,
                NOW,
                NOW);
        boolean first = store.seedOnce(List.of(d));
        assertFalse(store.seedOnce(List.of(d)));
        assertTrue(first || store.rule(d.id()).isEmpty(), "seeded by this test, unless another seeded before");
        if (first) {
            assertTrue(store.delete(d.id()));
            assertFalse(store.seedOnce(List.of(d)), "deleted stays deleted");
            assertEquals(Optional.empty(), store.rule(d.id()));
        }
    }
}
