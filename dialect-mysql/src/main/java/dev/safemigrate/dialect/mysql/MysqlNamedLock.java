package dev.safemigrate.dialect.mysql;

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

    @Override
    public Held acquire(Connection session, Supplier<Connection> extraConnection, Duration timeout) throws SQLException {
        String name = lockName(session.getCatalog());
        long seconds = Math.max(0, (timeout.toMillis() + 999) / 1000);
        try (PreparedStatement statement = session.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            statement.setString(1, name);
            statement.setLong(2, seconds);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 1) {
                    return null;
                }
            }
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

    /**
     * {@code safemigrate:<database>}, or where that is longer than the server allows, a name-based UUID of it: its
     * digest (MD5, which every JVM has) keeps distinct databases apart in 48 characters.
     */
    static String lockName(String database) {
        String name = "safemigrate:" + (database == null ? "" : database);
        return name.length() <= MAX_NAME ? name : "safemigrate:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
