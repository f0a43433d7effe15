package com.idynic.eventbus.storage;

import com.idynic.eventbus.broker.spi.StatementTimeoutException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** Work that must end in bounded time: PostgreSQL cancels a statement past the limit, and we say so. */
final class StatementLimit {
    private StatementLimit() {}

    /**
     * Runs {@code work} in one transaction with {@code set local statement_timeout}: each of its statements
     * is cancelled by PostgreSQL after {@code timeout} (well before the JDBC socket timeout).
     *
     * @throws StatementTimeoutException when a statement was cancelled (the transaction is rolled back)
     */
    static <T> T inTransaction(DataSource ds, Duration timeout, Jdbc.Work<T> work) {
        try {
            return Jdbc.inTransaction(ds, c -> {
                try (PreparedStatement ps = c.prepareStatement("select set_config('statement_timeout', ?, true)")) {
                    ps.setString(1, timeout.toMillis() + "ms");
                    ps.execute();
                }
                return work.run(c);
            });
        } catch (StorageException e) {
            if ("57014".equals(sqlState(e)) && !String.valueOf(e.getMessage()).contains("user request")) {
                throw new StatementTimeoutException(timeout, e);
            }
            throw e;
        }
    }

    /** @return the SQL state of the database failure, or null */
    static String sqlState(StorageException e) {
        return e.getCause() instanceof SQLException s ? s.getSQLState() : null;
    }
}
