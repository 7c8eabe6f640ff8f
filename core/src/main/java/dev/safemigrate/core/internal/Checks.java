package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.spi.CheckResult;
import dev.safemigrate.core.spi.Invariant;
import dev.safemigrate.core.spi.Step;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Runs user checks read-only and the steps' implied invariants. */
final class Checks {
    private Checks() {
    }

    /**
     * Runs a user's check so that whatever the checks of {@link CheckGuard} missed cannot last: inside
     * the run's transaction in a savepoint that is rolled back, outside in a read-only transaction that
     * is rolled back, and in both after the dialect's read-only statement where it has one. (JDBC's
     * {@code setReadOnly} alone is not enough: Connector/J does not pass it on to MariaDB 10, which
     * it takes for a server older than 5.6.5; in H2 it is a hint.)
     * A check still running after the check timeout is cancelled and fails; it would hold the run's locks.
     */
    static CheckResult run(Session session, SqlCheck check, String kind) throws SQLException {
        Connection connection = session.connection;
        String name = kind + " at " + check.location() + " (" + check.sql() + ")";
        long started = System.nanoTime();
        OptionalLong value;
        try {
            if (!connection.getAutoCommit()) {
                Savepoint savepoint = connection.setSavepoint();
                try {
                    value = readOnly(session, check.sql(), false);
                } finally {
                    connection.rollback(savepoint);
                }
            } else {
                boolean readOnly = connection.isReadOnly();
                connection.setReadOnly(true);
                connection.setAutoCommit(false);
                try {
                    value = readOnly(session, check.sql(), true);
                } finally {
                    connection.rollback();
                    connection.setAutoCommit(true);
                    connection.setReadOnly(readOnly);
                }
            }
        } catch (SQLException e) {
            throw new SQLException("the " + name + " could not run: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
        if (session.dryRun != null) {
            // A dry run (plan --sql) cannot know what the check would find after the changes: it shows the check and goes on.
            return CheckResult.holds(name);
        }
        if (value.isEmpty()) {
            return new CheckResult(name, false, 0, List.of(), String.format(java.util.Locale.ROOT,
                    "cancelled after %.1f s: it ran past the check timeout of %d s", (System.nanoTime() - started) / 1e9,
                    session.settings.checkTimeout().toSeconds()));
        }
        long count = value.getAsLong();
        return check.expect().accepts(count) ? CheckResult.holds(name)
                : new CheckResult(name, false, count, List.of(), "expected " + check.expect() + ", got " + count);
    }

    /** The check's number, or empty when the check timeout cancelled it. */
    private static OptionalLong readOnly(Session session, String sql, boolean ownTransaction) throws SQLException {
        String readOnly = session.dialect.checkPolicy().readOnlyStatement(ownTransaction);
        if (readOnly != null) {
            session.db.execute(readOnly);
        }
        if (session.dryRun != null) {
            return OptionalLong.of(session.db.queryLong(sql));
        }
        try (Statement statement = session.connection.createStatement()) {
            statement.setEscapeProcessing(false);
            int previous = statement.getQueryTimeout();
            statement.setQueryTimeout(Math.toIntExact(session.settings.checkTimeout().toSeconds()));
            try (ResultSet rs = statement.executeQuery(sql)) {
                return OptionalLong.of(rs.next() ? rs.getLong(1) : 0);
            } catch (SQLException e) {
                if (e instanceof SQLTimeoutException || "57014".equals(e.getSQLState())) {
                    return OptionalLong.empty();
                }
                throw e;
            } finally {
                // H2 keeps a statement's timeout for the whole session.
                statement.setQueryTimeout(previous);
            }
        }
    }

    /** An invariant left to the DDL of step {@code step} (see {@link #enforcedByDdl}). */
    record Left(int step, Invariant invariant) {
    }

    /** Every implied invariant of the steps and every postcondition, except those {@code leftToDdl}. */
    static List<CheckResult> afterDml(Session session, PlannedMigration planned, List<Left> leftToDdl) throws SQLException {
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < planned.steps().size(); i++) {
            Step step = planned.steps().get(i);
            for (Invariant invariant : step.invariants(planned.context(i))) {
                boolean alreadyChecked = results.stream().anyMatch(r -> r.check().equals(invariant.description()));
                boolean left = leftToDdl.stream().anyMatch(l -> l.invariant().equals(invariant));
                if (!alreadyChecked && !left) {
                    results.add(invariant.check(planned.context(i)));
                }
            }
        }
        for (SqlCheck check : planned.migration().postconditions()) {
            results.add(run(session, check, "postcondition"));
        }
        return results;
    }

    static void requirePreconditions(Session session, PlannedMigration planned) throws SQLException {
        for (SqlCheck check : planned.migration().preconditions()) {
            CheckResult result = run(session, check, "precondition");
            if (!result.holds()) {
                throw SafeMigrateException.refused("migration " + planned.migration().id() + " refused, nothing was changed: " + result.message());
            }
        }
    }

    /** The invariants that the plan's DDL steps enforce by themselves (see {@link Step#enforcedByDdl}). */
    static List<Left> enforcedByDdl(PlannedMigration planned) throws SQLException {
        List<Left> enforced = new ArrayList<>();
        for (int i = 0; i < planned.steps().size(); i++) {
            for (Invariant invariant : planned.steps().get(i).enforcedByDdl(planned.context(i))) {
                enforced.add(new Left(i, invariant));
            }
        }
        return enforced;
    }

    static void requireAfterDml(Session session, PlannedMigration planned, List<Left> leftToDdl) throws SQLException {
        requireHolding(afterDml(session, planned, leftToDdl), "before any constraint was added", null);
    }

    /**
     * After a DDL statement failed: counts the invariants left to the DDL and throws the failed check, which
     * names the keys, when one does not hold; returns when all hold (the DDL failed for another reason).
     */
    static void explainDdlFailure(PlannedMigration planned, List<Left> leftToDdl, SQLException ddlFailure) {
        List<CheckResult> results = new ArrayList<>();
        try {
            for (Left left : leftToDdl) {
                results.add(left.invariant().check(planned.context(left.step())));
            }
        } catch (SQLException | RuntimeException uncounted) {
            ddlFailure.addSuppressed(uncounted);
            return;
        }
        requireHolding(results, "so the constraint could not be added", ddlFailure);
    }

    private static void requireHolding(List<CheckResult> results, String when, Throwable cause) {
        List<String> failed = results.stream().filter(r -> !r.holds()).map(CheckResult::message).toList();
        if (!failed.isEmpty()) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "check failed after the data changes, " + when + ": "
                    + String.join("; ", failed), cause);
        }
    }
}
