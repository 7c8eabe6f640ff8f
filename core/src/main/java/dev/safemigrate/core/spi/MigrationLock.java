package dev.safemigrate.core.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One run at a time per database. The lock must be released when the holding session ends, so a
 * crashed run never leaves it stuck.
 */
public interface MigrationLock {
    /**
     * Takes the lock, waiting at most {@code timeout}; returns null if it could not. {@code session}
     * is the run's own connection; {@code extraConnection} opens a separate one where needed. An interrupt of the
     * thread ends the wait at once, with the thread's interrupt status kept (as {@link dev.safemigrate.core.jdbc.LockPoll}
     * does): the run then says it was interrupted, not that the timeout passed.
     */
    Held acquire(Connection session, Supplier<Connection> extraConnection, Duration timeout) throws SQLException;

    /**
     * Who holds the lock, said in the message of a run that gave up waiting for it (exit 6): a lock that can tell
     * (a lease row names its owner) says so; empty where it cannot.
     */
    default Optional<String> holder(Connection session) throws SQLException {
        return Optional.empty();
    }

    /** A held lock; closing releases it. A null {@link #acquire} result means the timeout passed. */
    interface Held extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }
}
