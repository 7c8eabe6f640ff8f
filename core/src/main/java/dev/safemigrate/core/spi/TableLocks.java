package dev.safemigrate.core.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** Keeps writers out of the tables a run touches, from before the first change until the run ends. */
public interface TableLocks {
    /** For databases where nothing better is available: no table locks. */
    TableLocks NONE = (connection, written, read, checks, timeout) -> () -> { };

    /**
     * Locks {@code written} against other writers (readers may go on), in a fixed order. {@code read}
     * are further tables the run reads or writes, and {@code checks} the SQL of the migration's user
     * checks (single SELECTs), which some databases (MySQL) require to be named in the lock: a dialect
     * that cannot tell which tables a check reads throws a {@code SafeMigrateException} before locking.
     */
    Release lock(Connection connection, List<ResolvedTable> written, List<ResolvedTable> read, List<String> checks, Duration timeout)
            throws SQLException;

    /**
     * Before a DDL statement that needs {@code table} exclusively (see {@link DdlStatement#exclusive}) and
     * before every statement that removes what a run created: takes that lock, where the database would
     * otherwise make readers queue behind the DDL while it waits (use {@link dev.safemigrate.core.jdbc.LockRetry}). Nothing by default.
     */
    default void beforeDdl(Connection connection, ResolvedTable table, Duration timeout) throws SQLException {
    }

    /** Releases the locks; called once the run has committed or rolled back. */
    interface Release {
        void release() throws SQLException;
    }
}
