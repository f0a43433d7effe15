package com.idynic.eventbus.it;

import static com.idynic.eventbus.it.Stack.await;
import static com.idynic.eventbus.it.Stack.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A publish is answered 202 only after its transaction committed: while another transaction holds a lock the
 * write needs (here {@code eb_outbox} in exclusive mode, which lets reads such as the backpressure count through
 * but no insert), the request gets no answer and the event is not stored; once the lock goes, it is answered
 * 202 and the event is there.
 */
class PublishCommitIT {
    @BeforeAll
    static void ready() {
        Stack.awaitReady();
    }

    @Test
    void aPublishWhoseCommitIsHeldOpenIsNotAnsweredUntilItCommits() throws Exception {
        String id = Stack.newId("evt-held");
        CompletableFuture<HttpResponse<String>> answer;
        try (Connection lock = Stack.db()) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("lock table eb_outbox in exclusive mode");
            }
            answer = CompletableFuture.supplyAsync(() -> Stack.postJson("/v1/events", Stack.userCreated(id)));
            await(
                    Duration.ofSeconds(30),
                    "the publish's outbox insert waits for the lock",
                    () -> count(
                                    "select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                                            + " where l.relation = 'eb_outbox'::regclass and not l.granted"
                                            + " and a.query ilike ?",
                                    "%insert into eb_outbox%")
                            > 0);
            try {
                HttpResponse<String> early = answer.get(3, TimeUnit.SECONDS);
                fail("answered " + early.statusCode() + " while its transaction could not commit: " + early.body());
            } catch (TimeoutException expected) {
                // no answer while the commit is held
            }
            assertEquals(0, count("select count(*) from eb_event where id = ?", id), "not stored yet");
            lock.rollback();
        }
        HttpResponse<String> r = answer.get(30, TimeUnit.SECONDS);
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(1, count("select count(*) from eb_event where id = ?", id), "stored when answered");
    }
}
