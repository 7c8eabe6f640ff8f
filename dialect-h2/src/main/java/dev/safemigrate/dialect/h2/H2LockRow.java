package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.jdbc.JdbcCatalog;
import dev.safemigrate.core.jdbc.LockPoll;
import dev.safemigrate.core.jdbc.OwnTable;
import dev.safemigrate.core.spi.MigrationLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * H2 has no advisory locks, so the lock is a row in {@code safemigrate_lock}, updated and left
 * uncommitted on a connection of its own. Others try it in turn ({@link LockPoll}); when the holder's connection
 * closes or its process dies, the transaction ends and the lock is free, so it is never left stuck.
 */
final class H2LockRow implements MigrationLock {
    private static final int LOCK_TIMEOUT_ERROR = 50200;
    private static final int DUPLICATE_KEY_ERROR = 23505;
    private static final int OWNER_WIDTH = 200;
    private static final Duration POLL = Duration.ofMillis(200);

    @Override
    public Held acquire(Connection session, Supplier<Connection> extraConnection, Duration timeout) throws SQLException {
        Connection connection = extraConnection.get();
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCK_TIMEOUT " + Math.max(1, timeout.toMillis()));
                OwnTable.requireColumns(new JdbcCatalog(connection, false), "safemigrate_lock", List.of("id", "owner", "acquired_at"),
                        "its run lock (H2 has no advisory lock)");
                statement.execute("CREATE TABLE IF NOT EXISTS safemigrate_lock (id INT PRIMARY KEY, owner VARCHAR(" + OWNER_WIDTH + "), acquired_at TIMESTAMP)");
                // H2 ends a wait for a row lock on an interrupt as if it had timed out, and clears the interrupt: so the wait
                // is LockPoll's pauses, and each try waits inside H2 for a millisecond only.
                statement.execute("SET LOCK_TIMEOUT 1");
            }
            if (LockPoll.until(timeout, POLL, () -> tryTake(connection))) {
                return () -> {
                    try {
                        connection.rollback();
                    } finally {
                        connection.close();
                    }
                };
            }
            connection.close();
            return null;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Takes the row and keeps its transaction open; false while another run holds it (or it is missing: made again next try). */
    private static boolean tryTake(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        createRowIfMissing(connection);
        connection.setAutoCommit(false);
        try {
            if (takeRow(connection) == 1) {
                return true;
            }
        } catch (SQLException e) {
            if (e.getErrorCode() != LOCK_TIMEOUT_ERROR) {
                throw e;
            }
        }
        connection.rollback();
        return false;
    }

    /**
     * A plain read does not wait for the holder's row lock (MVCC), so two first runs can both find no row
     * and both insert it; the second insert waits for the first one's to commit and then fails with a
     * duplicate key, which means the row is there, all this statement is for; or, while that first insert is not yet
     * committed, with a lock timeout, and the next try finds the row.
     */
    private static void createRowIfMissing(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO safemigrate_lock (id) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM safemigrate_lock WHERE id = 1)");
        } catch (SQLException e) {
            if (e.getErrorCode() != DUPLICATE_KEY_ERROR && e.getErrorCode() != LOCK_TIMEOUT_ERROR) {
                throw e;
            }
        }
    }

    private static int takeRow(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE safemigrate_lock SET owner = ?, acquired_at = CURRENT_TIMESTAMP WHERE id = 1")) {
            String owner = ProcessHandle.current().pid() + "@" + Thread.currentThread().getName();
            // The column's width: the owner only informs, so a long thread name is cut rather than fail the run.
            update.setString(1, owner.substring(0, Math.min(owner.length(), OWNER_WIDTH)));
            return update.executeUpdate();
        }
    }
}
