package dev.safemigrate.core.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** The one place that commits: run work in a transaction, commit or roll back, restore autocommit. */
final class Transactions {
    private Transactions() {
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (RuntimeException | SQLException | Error e) {
            rollbackQuietly(connection, e);
            throw e;
        } finally {
            restoreAutoCommit(connection, autoCommit);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        try {
            if (!connection.isClosed()) {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException ignored) {
            // The connection is gone; whatever the work did was rolled back with it.
        }
    }
}
