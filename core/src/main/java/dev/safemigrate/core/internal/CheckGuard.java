package dev.safemigrate.core.internal;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.CheckSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds every user check to the dialect's {@link CheckPolicy} before a command changes anything,
 * following the views (and the like) it reads down to the last one. A refusal is invalid input: exit 2.
 */
final class CheckGuard {
    private CheckGuard() {
    }

    static void requireHarmless(Session session, List<Migration> migrations) throws SQLException {
        CheckPolicy policy = session.dialect.checkPolicy();
        for (Migration migration : migrations) {
            for (SqlCheck check : migration.preconditions()) {
                require(policy, session.connection, check, "precondition");
            }
            for (SqlCheck check : migration.postconditions()) {
                require(policy, session.connection, check, "postcondition");
            }
        }
    }

    private static void require(CheckPolicy policy, Connection connection, SqlCheck check, String kind) throws SQLException {
        String refusal = refusal(policy, connection, CheckSql.read(check.sql()), new HashSet<>());
        if (refusal != null) {
            throw SafeMigrateException.invalid(check.location() + ": the " + kind + " (" + check.sql() + ") is refused: it " + refusal
                    + ". A check must not be able to change anything; nothing was run");
        }
    }

    /** Why {@code sql} may have an effect, as a phrase after "it", or null; {@code seen} keeps each definition to one visit. */
    private static String refusal(CheckPolicy policy, Connection connection, CheckSql sql, Set<String> seen) throws SQLException {
        List<String> refusals = policy.refusals(sql, connection);
        if (!refusals.isEmpty()) {
            return String.join("; it ", refusals);
        }
        for (Map.Entry<String, String> definition : policy.definitions(sql, connection).entrySet()) {
            if (!seen.add(definition.getKey())) {
                continue;
            }
            CheckSql inner;
            try {
                inner = CheckSql.read(definition.getValue());
            } catch (SafeMigrateException e) {
                return "reads " + definition.getKey() + ", whose definition is " + e.getMessage();
            }
            String deeper = refusal(policy, connection, inner, seen);
            if (deeper != null) {
                return "reads " + definition.getKey() + ", which " + deeper;
            }
        }
        return null;
    }
}
