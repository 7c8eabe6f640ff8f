package dev.safemigrate.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A connection decorator (see {@link SafeMigrate.Builder#connectionDecorator}) that counts the
 * statements a run executes and makes the {@code failAt}-th one throw, once. With {@code failAt = 0}
 * it only counts. Used by the fault-sweep tests and by {@code safemigrate demo}.
 */
public final class FaultInjector implements UnaryOperator<Connection> {
    private final int failAt;
    private final AtomicInteger executed = new AtomicInteger();
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
        return proxy(Connection.class, connection, null);
    }

    private <T> T proxy(Class<T> type, Object target, String preparedSql) {
        InvocationHandler handler = (p, method, args) -> invoke(target, method, args, preparedSql);
        return type.cast(Proxy.newProxyInstance(FaultInjector.class.getClassLoader(), interfacesOf(target, type), handler));
    }

    private static Class<?>[] interfacesOf(Object target, Class<?> type) {
        if (target instanceof java.sql.CallableStatement) {
            return new Class<?>[] {java.sql.CallableStatement.class};
        }
        if (target instanceof java.sql.PreparedStatement) {
            return new Class<?>[] {java.sql.PreparedStatement.class};
        }
        return new Class<?>[] {type};
    }

    private Object invoke(Object target, Method method, Object[] args, String preparedSql) throws Throwable {
        String name = method.getName();
        if (name.startsWith("execute")) {
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
            if (executed.incrementAndGet() == failAt) {
                failedStatement = sql;
                throw new SQLException("injected fault at statement " + failAt + ": " + sql);
            }
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (result instanceof Statement statement && !(target instanceof Statement)) {
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            return proxy(Statement.class, statement, sql);
        }
        return result;
    }
}
