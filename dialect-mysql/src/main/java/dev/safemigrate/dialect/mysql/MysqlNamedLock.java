package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.jdbc.LockPoll;
import dev.safemigrate.core.spi.MigrationLock;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The one-run-at-a-time lock: {@code GET_LOCK} on a name made from the database, held by the run's
 * own session. The server frees it when that session ends, so a killed run never leaves it stuck.
 */
final class MysqlNamedLock implements MigrationLock {
    private static final int MAX_NAME = 64;
    private static final Duration POLL = Duration.ofMillis(200);

    @Override
    public Held acquire(Connection session, Supplier<Connection> extraConnection, Duration timeout) throws SQLException {
        String name = lockName(session.getCatalog());
        // GET_LOCK(name, 0) tried in turn: one that waits inside the server is deaf to an interrupt of the run's thread.
        if (!LockPoll.until(timeout, POLL, () -> tryLock(session, name))) {
            return null;
        }
        return () -> {
            if (!session.isClosed()) {
                try (PreparedStatement release = session.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                    release.setString(1, name);
                    release.executeQuery().close();
                }
            }
        };
    }

    private static boolean tryLock(Connection session, String name) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }

    /**
     * {@code safemigrate:<database>}, or where that is longer than the server allows, a name-based UUID of it: its
     * digest (MD5, which every JVM has) keeps distinct databases apart in 48 characters.
     */
    static String lockName(String database) {
        String name = "safemigrate:" + (database == null ? "" : database);
        return name.length() <= MAX_NAME ? name : "safemigrate:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
