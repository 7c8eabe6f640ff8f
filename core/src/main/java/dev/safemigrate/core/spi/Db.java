package dev.safemigrate.core.spi;

import java.sql.SQLException;
import java.util.List;

/** Runs SQL on the run's connection. Only counts and a few sample rows ever come back to the JVM. */
public interface Db {
    /** A query returning one number. */
    long queryLong(String sql) throws SQLException;

    /** At most {@code limit} rows, each as strings, for messages. */
    List<List<String>> sample(String sql, int limit) throws SQLException;

    /** An INSERT, UPDATE or DELETE; returns the affected row count. */
    long update(String sql) throws SQLException;

    /** Any other statement (DDL). */
    void execute(String sql) throws SQLException;

    /** Each of {@code statements} in turn, with {@link #execute(String)}. */
    default void execute(List<String> statements) throws SQLException {
        for (String statement : statements) {
            execute(statement);
        }
    }
}
