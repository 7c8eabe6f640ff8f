package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.spi.MigrationLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * H2 has no advisory locks, so the lock is a row in {@code safemigrate_lock}, updated and left
 * uncommitted on a connection of its own. Others wait on the row lock; when the holder's connection
 * closes or its process dies, the transaction ends and the lock is free, so it is never left stuck.
 */
final class H2LockRow implements MigrationLock {
    private static final int LOCK_TIMEOUT_ERROR = 50200;

    @Override
    public Held acquire(Connection session, Supplier<Connection> extraConnection, Duration timeout) throws SQLException {
        Connection connection = extraConnection.get();
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCK_TIMEOUT " + Math.max(1, timeout.toMillis()));
                statement.execute("CREATE TABLE IF NOT EXISTS safemigrate_lock (id INT PRIMARY KEY, owner VARCHAR(200), acquired_at TIMESTAMP)");
                // A plain read does not wait for the holder's row lock (MVCC); only the UPDATE below waits.
                statement.execute("INSERT INTO safemigrate_lock (id) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM safemigrate_lock WHERE id = 1)");
            }
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE safemigrate_lock SET owner = ?, acquired_at = CURRENT_TIMESTAMP WHERE id = 1")) {
                update.setString(1, ProcessHandle.current().pid() + "@" + Thread.currentThread().getName());
                update.executeUpdate();
            } catch (SQLException e) {
                if (e.getErrorCode() == LOCK_TIMEOUT_ERROR) {
                    connection.close();
                    return null;
                }
                throw e;
            }
            return () -> {
                try {
                    connection.rollback();
                } finally {
                    connection.close();
                }
            };
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }
}
