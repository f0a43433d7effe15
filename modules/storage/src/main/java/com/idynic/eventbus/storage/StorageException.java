package com.idynic.eventbus.storage;

import java.sql.SQLException;

/** PostgreSQL failed (unreachable, constraint, timeout); the message carries the SQL state. */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageException(SQLException cause) {
        super("PostgreSQL error " + cause.getSQLState() + ": " + cause.getMessage(), cause);
    }
}
