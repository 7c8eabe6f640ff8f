package dev.safemigrate.core.kit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.UnaryOperator;

/**
 * The test suites' one statement interceptor: a connection decorator (plugged in through
 * {@code SafeMigrate.Builder#connectionDecorator}) that lets {@code hook} see, and refuse by throwing,
 * the SQL of every statement the run executes, before it runs, and each commit. {@link FaultInjector} counts with it.
 */
public final class StatementHook implements UnaryOperator<Connection> {
    /** Sees the SQL of a statement about to run; throws to make it fail. */
    public interface Hook {
        void before(String sql) throws SQLException;
    }

    private final Hook hook;
    private final Hook commit;

    public StatementHook(Hook hook) {
        this(hook, sql -> { });
    }

    private StatementHook(Hook hook, Hook commit) {
        this.hook = hook;
        this.commit = commit;
    }

    /** This hook, which also runs {@code commit} (given no SQL) before every commit of the connection, e.g. to make commits slow as a slow disk does. */
    public StatementHook beforeCommit(Hook commit) {
        return new StatementHook(hook, commit);
    }

    /** Makes every statement whose SQL starts with {@code prefix} (ignoring case) fail. */
    public static StatementHook failing(String prefix) {
        return new StatementHook(sql -> {
            if (sql != null && sql.stripLeading().regionMatches(true, 0, prefix, 0, prefix.length())) {
                throw new SQLException("injected failure of: " + sql);
            }
        });
    }

    @Override
    public Connection apply(Connection connection) {
        return proxy(Connection.class, connection, null);
    }

    private <T> T proxy(Class<T> type, Object target, String preparedSql) {
        InvocationHandler handler = (p, method, args) -> invoke(target, method, args, preparedSql);
        Class<?> face = target instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                : target instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : type;
        return type.cast(Proxy.newProxyInstance(StatementHook.class.getClassLoader(), new Class<?>[] {face}, handler));
    }

    private Object invoke(Object target, Method method, Object[] args, String preparedSql) throws Throwable {
        String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
        if (method.getName().startsWith("execute")) {
            hook.before(sql);
        } else if (method.getName().equals("commit") && target instanceof Connection) {
            commit.before(null);
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
