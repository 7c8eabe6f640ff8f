package dev.safemigrate.core.kit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A connection decorator for the fault sweeps: counts the statements a run executes and makes the
 * {@code failAt}-th one throw, once. With {@code failAt = 0} it only counts. A {@link StatementHook}.
 */
public final class FaultInjector implements UnaryOperator<Connection> {
    private final int failAt;
    private final AtomicInteger executed = new AtomicInteger();
    private final StatementHook hook = new StatementHook(this::before);
    private volatile String failedStatement;

    public FaultInjector(int failAt) {
        this.failAt = failAt;
    }

    /** Statements executed so far, including the one made to fail. */
    public int executed() {
        return executed.get();
    }

    /** The SQL of the statement that was made to fail, or null. */
    public String failedStatement() {
        return failedStatement;
    }

    @Override
    public Connection apply(Connection connection) {
        return hook.apply(connection);
    }

    private void before(String sql) throws SQLException {
        if (executed.incrementAndGet() == failAt) {
            failedStatement = sql;
            throw new SQLException("injected fault at statement " + failAt + ": " + sql);
        }
    }
}
