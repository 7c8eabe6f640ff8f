package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.spi.MigrationLock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A session-level {@code pg_advisory_lock} on the run's own connection, keyed by the schema the
 * history table lives in. PostgreSQL releases it when the session ends, so a killed run never leaves
 * it stuck. Waiting polls {@code pg_try_advisory_lock}, so the timeout is ours and exact.
 */
final class PostgresAdvisoryLock implements MigrationLock {
    /** First key of the two-key form: "SMIG". */
    private static final int KEY_SPACE = 0x534D4947;
    private static final long POLL_MILLIS = 200;
    private static final String KEY = KEY_SPACE + ", hashtext(coalesce(current_schema(), ''))";

    @Override
    public Held acquire(Connection session, Supplier<Connection> extraConnection, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (queryBoolean(session, "SELECT pg_try_advisory_lock(" + KEY + ")")) {
                return () -> {
                    if (!session.isClosed()) {
                        queryBoolean(session, "SELECT pg_advisory_unlock(" + KEY + ")");
                    }
                };
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                // Not a timeout: null would make the run claim it waited the whole --lock-timeout (exit 6).
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the migration lock", e);
            }
        }
    }

    private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
