package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.jdbc.LockRetry;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.TableLocks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code LOCK TABLE ... IN SHARE ROW EXCLUSIVE MODE}: blocks INSERT, UPDATE and DELETE from other
 * sessions (and another run's lock of the same mode) but lets readers through. Tables are locked in
 * one statement, sorted by schema and name, so two runs never take them in opposite orders. The
 * locks belong to the run's transaction and end with its commit or rollback.
 *
 * <p>PostgreSQL queues every later request behind a waiting lock request, so a run that waits for a lock
 * would hold up readers and writers that do not conflict with what it holds. Each attempt therefore waits
 * at most {@link LockRetry#SLICE} inside a savepoint, and is rolled back and retried with pauses until
 * {@code --lock-timeout} ({@link LockRetry}). The brief exclusive lock a DDL statement needs is taken the
 * same way ({@link #beforeDdl}). User checks need no lock: PostgreSQL reads any table while others are locked.
 */
final class PostgresTableLocks implements TableLocks {
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final Dialect dialect;

    PostgresTableLocks(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public Release lock(Connection connection, List<ResolvedTable> written, List<ResolvedTable> read, List<String> checks, Duration timeout)
            throws SQLException {
        if (!written.isEmpty()) {
            String defaultSchema = currentSchema(connection);
            List<String[]> names = new ArrayList<>();
            for (ResolvedTable table : written) {
                names.add(new String[] {table.schema() == null ? defaultSchema : table.schema(), table.name()});
            }
            names.sort(Comparator.<String[], String>comparing(n -> n[0]).thenComparing(n -> n[1]));
            String tables = names.stream().map(n -> dialect.quote(n[0]) + "." + dialect.quote(n[1])).distinct().collect(Collectors.joining(", "));
            lockInSlices(connection, tables, "SHARE ROW EXCLUSIVE", timeout);
        }
        return () -> { };
    }

    /** ACCESS EXCLUSIVE for the moment of the DDL, within the transaction; outside one there is nothing to hold it. */
    @Override
    public void beforeDdl(Connection connection, ResolvedTable table, Duration timeout) throws SQLException {
        if (!connection.getAutoCommit()) {
            String schema = table.schema() == null ? currentSchema(connection) : table.schema();
            lockInSlices(connection, dialect.quote(schema) + "." + dialect.quote(table.name()), "ACCESS EXCLUSIVE", timeout);
        }
    }

    /**
     * Tries the lock for at most one slice at a time in a savepoint, rolled back when the slice runs out, until
     * {@code timeout}; then bounds any later wait of the transaction by what is left of it.
     */
    private static void lockInSlices(Connection connection, String tables, String mode, Duration timeout) throws SQLException {
        long started = System.nanoTime();
        LockRetry.acquire(tables + " in " + mode + " mode", timeout, slice -> {
            Savepoint savepoint = connection.setSavepoint();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '" + slice.toMillis() + "ms'");
                statement.execute("LOCK TABLE " + tables + " IN " + mode + " MODE");
                connection.releaseSavepoint(savepoint);
                return true;
            } catch (SQLException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback(savepoint);
                return false;
            }
        });
        long left = Math.max(1, timeout.toMillis() - (System.nanoTime() - started) / 1_000_000);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + left + "ms'");
        }
    }

    private static String currentSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
