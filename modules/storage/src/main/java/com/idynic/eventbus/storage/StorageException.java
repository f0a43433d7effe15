package com.idynic.eventbus.storage;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;

/** PostgreSQL failed (unreachable, constraint, timeout); the message carries the SQL state. */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageException(SQLException cause) {
        super("PostgreSQL error " + cause.getSQLState() + ": " + cause.getMessage(), cause);
    }

    /**
     * @param failure any exception
     * @return whether it (or a cause) is a database failure: JDBC, JPA or this exception
     */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof StorageException || t instanceof PersistenceException) {
                return true;
            }
        }
        return false;
    }
}
