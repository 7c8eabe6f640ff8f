package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.TableLocks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps writers out with {@code LOCK TABLES ... WRITE} from before the data transaction until the
 * run ends, across its commit and the DDL that follows. Under {@code LOCK TABLES} a session may only
 * use the tables it locked, under the names and aliases it locked them with, so every table of the
 * run is locked under its name and under {@link MysqlSql#secondAlias}.
 *
 * <p>This works with JDBC transactions because Connector/J's {@code setAutoCommit(false)} sends
 * {@code SET autocommit=0}, and {@code COMMIT} and {@code ROLLBACK} keep table locks; only
 * {@code START TRANSACTION}, {@code UNLOCK TABLES} or the end of the session release them.
 */
final class MysqlTableLocks implements TableLocks {
    private final Dialect dialect;

    MysqlTableLocks(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public Release lock(Connection connection, List<ResolvedTable> written, List<ResolvedTable> read, Duration timeout)
            throws SQLException {
        String statement = lockStatement(written, read);
        long previousTimeout = sessionLockWaitTimeout(connection);
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION lock_wait_timeout = " + Math.max(1, timeout.toSeconds()));
            try {
                s.execute(statement);
            } finally {
                s.execute("SET SESSION lock_wait_timeout = " + previousTimeout);
            }
        }
        return () -> {
            if (!connection.isClosed()) {
                try (Statement s = connection.createStatement()) {
                    s.execute("UNLOCK TABLES");
                }
            }
        };
    }

    /** Every table under its own name and each alias, sorted so that concurrent runs lock in the same order. */
    String lockStatement(List<ResolvedTable> written, List<ResolvedTable> read) {
        List<ResolvedTable> tables = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (ResolvedTable table : concat(written, read)) {
            if (seen.add(key(table))) {
                tables.add(table);
            }
        }
        tables.sort(Comparator.comparing(MysqlTableLocks::key));
        List<String> items = new ArrayList<>();
        for (ResolvedTable table : tables) {
            String name = dialect.sql().table(table);
            items.add(name + " WRITE");
            items.add(name + " AS " + dialect.quote(MysqlSql.secondAlias(table.name())) + " WRITE");
        }
        return "LOCK TABLES " + String.join(", ", items);
    }

    private static List<ResolvedTable> concat(List<ResolvedTable> a, List<ResolvedTable> b) {
        List<ResolvedTable> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String key(ResolvedTable table) {
        return (table.schema() == null ? "" : table.schema() + ".") + table.name();
    }

    private static long sessionLockWaitTimeout(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.lock_wait_timeout")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
