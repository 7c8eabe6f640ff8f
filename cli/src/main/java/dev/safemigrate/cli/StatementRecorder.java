package dev.safemigrate.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A connection decorator that records the SQL of every {@code execute*} call, counted exactly as
 * {@link dev.safemigrate.core.FaultInjector} counts them: statement {@code n} here is the statement
 * a {@code FaultInjector(n)} would make fail.
 */
final class StatementRecorder implements UnaryOperator<Connection> {
    private final List<String> statements = Collections.synchronizedList(new ArrayList<>());

    List<String> statements() {
        return List.copyOf(statements);
    }

    @Override
    public Connection apply(Connection connection) {
        return proxy(Connection.class, connection, null);
    }

    private <T> T proxy(Class<T> type, Object target, String preparedSql) {
        Class<?> face = target instanceof CallableStatement ? CallableStatement.class
                : target instanceof PreparedStatement ? PreparedStatement.class : type;
        return type.cast(Proxy.newProxyInstance(StatementRecorder.class.getClassLoader(), new Class<?>[] {face},
                (p, method, args) -> invoke(target, method, args, preparedSql)));
    }

    private Object invoke(Object target, Method method, Object[] args, String preparedSql) throws Throwable {
        String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
        if (method.getName().startsWith("execute")) {
            statements.add(sql != null ? sql : preparedSql);
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        return result instanceof Statement statement && !(target instanceof Statement) ? proxy(Statement.class, statement, sql) : result;
    }
}
