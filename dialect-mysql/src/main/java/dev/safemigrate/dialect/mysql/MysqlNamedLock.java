package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.MigrationLock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
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

    /** {@code safemigrate:<database>}, or a digest of it where that is longer than the server allows. */
    static String lockName(String database) {
        String name = "safemigrate:" + (database == null ? "" : database);
        if (name.length() <= MAX_NAME) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return "safemigrate:" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
