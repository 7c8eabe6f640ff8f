package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.jdbc.LockPoll;
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
 * it stuck. Waiting polls {@code pg_try_advisory_lock} ({@link LockPoll}).
 */
final class PostgresAdvisoryLock implements MigrationLock {
    /** First key of the two-key form: "SMIG". */
    private static final int KEY_SPACE = 0x534D4947;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String KEY = KEY_SPACE + ", hashtext(coalesce(current_schema(), ''))";

    @Override
    public Held acquire(Connection session, Supplier<Connection> extraConnection, Duration timeout) throws SQLException {
        if (!LockPoll.until(timeout, POLL, () -> queryBoolean(session, "SELECT pg_try_advisory_lock(" + KEY + ")"))) {
            return null;
        }
        return () -> {
            if (!session.isClosed()) {
                queryBoolean(session, "SELECT pg_advisory_unlock(" + KEY + ")");
            }
        };
    }

    private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
