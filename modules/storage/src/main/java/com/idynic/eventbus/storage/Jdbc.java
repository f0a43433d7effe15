package com.idynic.eventbus.storage;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs work in one local transaction on a pooled connection (outside JTA: relay and delivery threads). */
final class Jdbc {
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Jdbc() {}

    static <T> T inTransaction(DataSource ds, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /**
     * As {@link #inTransaction}, once more on a fresh connection when the first one turned out to be dead
     * (a pooled connection from before a database restart). Only for work that is safe to repeat: a
     * failure during commit leaves its outcome unknown, so the work must tell a repeat from a first write.
     */
    static <T> T inTransactionOnLiveConnection(DataSource ds, Work<T> work) {
        try {
            return inTransaction(ds, work);
        } catch (StorageException e) {
            if (!(e.getCause() instanceof SQLException sql) || !deadConnection(sql)) {
                throw e;
            }
            return inTransaction(ds, work);
        }
    }

    /** @return whether the failure says the connection itself is gone (SQLState class 08) */
    static boolean deadConnection(SQLException e) {
        return e instanceof java.sql.SQLRecoverableException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"))
                || "57P01".equals(e.getSQLState());
    }

    static <T> T autoCommit(DataSource ds, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }
}
