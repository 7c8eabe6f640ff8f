package dev.safemigrate.core.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Locale;

/**
 * The run's connection in a dry run ({@code plan --sql}): transaction control and every statement executed
 * through it are logged, not sent. Only the dialect's own fixed queries run for real (on the real connection,
 * outside any transaction): a plain {@code executeQuery} (PostgreSQL's {@code current_schema()}, MySQL's lock wait
 * setting), which is logged as well, and prepared {@code SELECT}s (catalog lookups), which are not statements of
 * the run and are not logged. Savepoints, which JDBC takes without a statement, are logged as the SQL statements
 * that take them. User checks never get here: they go through {@link DryRunDb}. Batches and stored
 * procedure calls, which no built-in code uses, stop the dry run rather than be shown wrongly.
 */
final class DryRunConnection {
    private final Connection real;
    private final StatementLog log;
    /** This dry connection as its statements hand it out ({@code getConnection}), so no statement leads back to the real one. */
    private Connection self;
    private boolean autoCommit = true;
    private boolean readOnly;
    private int savepoints;

    private DryRunConnection(Connection real, StatementLog log) {
        this.real = real;
        this.log = log;
    }

    static Connection over(Connection real, StatementLog log) {
        DryRunConnection dry = new DryRunConnection(real, log);
        dry.self = (Connection) Proxy.newProxyInstance(DryRunConnection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> dry.connection(method, args));
        return dry.self;
    }

    private Object connection(Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "getAutoCommit":
                return autoCommit;
            case "setAutoCommit":
                autoCommit = (Boolean) args[0];
                log.autoCommit(autoCommit);
                return null;
            case "commit":
                log.end(true);
                return null;
            case "rollback":
                if (args == null || args.length == 0) {
                    log.end(false);
                } else {
                    log.statement("ROLLBACK TO SAVEPOINT " + ((Savepoint) args[0]).getSavepointName());
                }
                return null;
            case "setSavepoint":
                DrySavepoint savepoint = new DrySavepoint(++savepoints);
                log.statement("SAVEPOINT " + savepoint.getSavepointName());
                return savepoint;
            case "releaseSavepoint":
                log.statement("RELEASE SAVEPOINT " + ((Savepoint) args[0]).getSavepointName());
                return null;
            case "close":
                return null;
            case "isReadOnly":
                return readOnly;
            case "setReadOnly":
                readOnly = (Boolean) args[0];
                return null;
            case "createStatement":
                return statement(Statement.class, invoke(real, method, args), null);
            case "prepareStatement":
                return statement(PreparedStatement.class, invoke(real, method, args), (String) args[0]);
            case "prepareCall":
                throw unsupported("a stored procedure call");
            default:
                return invoke(real, method, args);
        }
    }

    private <T> T statement(Class<T> type, Object target, String preparedSql) {
        return type.cast(Proxy.newProxyInstance(DryRunConnection.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> statement(target, method, args, preparedSql)));
    }

    private Object statement(Object target, Method method, Object[] args, String preparedSql) throws Throwable {
        String name = method.getName();
        if (name.equals("getConnection")) {
            return self;
        }
        if (!name.startsWith("execute")) {
            // Nothing was sent, so there is no count: -1 says so (and tells MyBatis-style readers there are no more results).
            return name.equals("getUpdateCount") ? Integer.valueOf(-1) : invoke(target, method, args);
        }
        if (name.startsWith("executeLargeBatch") || name.startsWith("executeBatch")) {
            throw unsupported("a batch of statements");
        }
        String sql = preparedSql != null ? preparedSql : (String) args[0];
        if (preparedSql != null && isQuery(sql)) {
            return invoke(target, method, args);
        }
        log.statement(sql);
        if (preparedSql == null && name.equals("executeQuery")) {
            return invoke(target, method, args);
        }
        return switch (name) {
            case "execute" -> false;
            case "executeLargeUpdate" -> 0L;
            case "executeQuery" -> throw new SQLException("a dry run does not run " + sql);
            default -> 0;
        };
    }

    /** What the dry run cannot show faithfully: the log ends there, saying so, and the run stops. */
    private SQLException unsupported(String what) {
        String why = "plan --sql cannot show " + what;
        log.stop(why);
        return new SQLException(why);
    }

    private static boolean isQuery(String sql) {
        String start = sql.stripLeading().toUpperCase(Locale.ROOT);
        return start.startsWith("SELECT") || start.startsWith("WITH");
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * A savepoint the dry run logs instead of taking, under a name of its own (a driver names its savepoints
     * as it likes): the run rolls back to savepoints to undo a check's read-only setting and a lock attempt.
     */
    private record DrySavepoint(int id) implements Savepoint {
        @Override
        public int getSavepointId() {
            return id;
        }

        @Override
        public String getSavepointName() {
            return "sm_savepoint_" + id;
        }
    }
}
