package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.EventBatchStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Group-commit writes: a batch of events costs the three set-based statements of {@link EventInsert}
 * (claim the ids, insert the events, insert their outbox rows) and one commit, whatever its size. Rows go
 * in batch order, so event sequence numbers and outbox order follow the order the batch was gathered in.
 */
@ApplicationScoped
public class JdbcEventWriter implements EventBatchStore {
    @Resource(lookup = "jdbc/eventbus", shareable = false)
    DataSource ds;

    @Override
    public Set<String> appendAll(List<Entry> batch) {
        if (batch.isEmpty()) {
            return new HashSet<>();
        }
        // repeatable: a batch that did commit before the connection died finds its ids taken on the repeat
        return Jdbc.inTransactionOnLiveConnection(ds, c -> EventInsert.insert(c, batch));
    }
}
