package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Small JDBC helpers shared by the Galera experiments; each takes the node's connection. */
final class GaleraSql {
    private GaleraSql() {
    }

    static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Rows changed by one statement. */
    static int update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    /** The first column of the first row, or null without a row. */
    static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    static long number(Connection connection, String sql) throws SQLException {
        return Long.parseLong(text(connection, sql));
    }

    /** A connection to {@code node} whose reads wait until the node has applied everything committed before them. */
    static Connection causal(GaleraCluster.Database db, int node) throws SQLException {
        Connection connection = db.connect(node);
        execute(connection, "SET SESSION wsrep_sync_wait = 1");
        return connection;
    }

    /** A global status value of the connection's node, e.g. {@code wsrep_local_state_comment}. */
    static String status(Connection connection, String name) throws SQLException {
        return text(connection, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '" + name.toUpperCase() + "'");
    }

    /** A global system variable of the connection's node, read from the catalog (absent, not an error, where unknown). */
    static String variable(Connection connection, String name) throws SQLException {
        return text(connection, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = '" + name.toUpperCase() + "'");
    }

    /** {@code table (id BIGINT PRIMARY KEY, k INT, payload VARCHAR(40))} with ids 1..rows and k = id, filled in one statement. */
    static void seed(Connection connection, String table, int rows) throws SQLException {
        execute(connection, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, k INT NOT NULL, payload VARCHAR(40))",
                "INSERT INTO " + table + " SELECT seq, seq, CONCAT('payload ', seq) FROM seq_1_to_" + rows);
    }

    /** The vendor error code the call failed with, or 0 if it succeeded. */
    static int errorCode(Callable<?> call) {
        try {
            call.call();
            return 0;
        } catch (SQLException e) {
            return e.getErrorCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The result of a call run on another thread, with its failure unwrapped to the SQLException. */
    static <T> T join(CompletableFuture<T> future) throws SQLException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
