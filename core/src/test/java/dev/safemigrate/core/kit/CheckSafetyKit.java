package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.VerifyReport;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.SqlCheck;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A precondition or postcondition cannot change anything. Each dialect names one built-in
 * call with an effect it can see afterwards, and a user function with the same effect; the kit hides
 * them wherever a check can and proves that {@code plan}, {@code migrate} and {@code verify} refuse the
 * check (exit 2) before running anything, with the effect absent and the data as it was. Ordinary
 * checks still run (a false refusal is a defect too), and a check that runs too long is cancelled.
 */
public abstract class CheckSafetyKit extends CheckKitSupport {
    /** The name of the user function {@link #userFunction} creates. */
    protected static final String USER_FUNCTION = "sm_kit_effect";

    /** Creates what {@link #effect} acts on (a sequence), if anything; its effect is then absent. */
    protected void prepareEffect() throws Exception {
    }

    /** A SQL expression whose evaluation has an effect that {@link #effectHappened} sees. */
    protected abstract String effect();

    protected abstract boolean effectHappened() throws Exception;

    /** Statements that create {@link #USER_FUNCTION}: no arguments, returns a number, has the effect. */
    protected abstract List<String> userFunction();

    /** Where a check can hide an effect. */
    public enum Hiding {
        DIRECT, SUBQUERY, CTE, VIEW, VIEW_OF_VIEW, USER_FUNCTION, USER_FUNCTION_IN_VIEW
    }

    @BeforeEach
    void prepare() throws Exception {
        prepareEffect();
    }

    /** The check that hides {@link #effect} as {@code hiding} does, after creating the objects it needs. */
    private String hide(Hiding hiding) throws Exception {
        String call = USER_FUNCTION + "()";
        switch (hiding) {
            case DIRECT:
                return "SELECT COUNT(*) FROM action_invariants WHERE id > 0 AND " + effect() + " IS NOT NULL";
            case SUBQUERY:
                return "SELECT COUNT(*) FROM action_invariants WHERE id IN (SELECT " + effect() + ")";
            case CTE:
                return "WITH e AS (SELECT " + effect() + " AS v) SELECT COUNT(*) FROM e";
            case VIEW:
                Fixture.execute(dataSource, "CREATE VIEW sm_kit_v AS SELECT " + effect() + " AS v");
                return "SELECT COUNT(*) FROM sm_kit_v";
            case VIEW_OF_VIEW:
                Fixture.execute(dataSource, "CREATE VIEW sm_kit_v AS SELECT " + effect() + " AS v", "CREATE VIEW sm_kit_vv AS SELECT v FROM sm_kit_v");
                return "SELECT COUNT(*) FROM action_invariants a JOIN sm_kit_vv w ON w.v = a.id";
            case USER_FUNCTION:
                Fixture.execute(dataSource, userFunction().toArray(String[]::new));
                return "SELECT " + call;
            default:
                Fixture.execute(dataSource, userFunction().toArray(String[]::new));
                Fixture.execute(dataSource, "CREATE VIEW sm_kit_fv AS SELECT " + call + " AS v");
                return "SELECT COUNT(*) FROM sm_kit_fv";
        }
    }

    @ParameterizedTest
    @EnumSource(Hiding.class)
    void anEffectIsRefusedWhereverACheckHidesIt(Hiding hiding) throws Exception {
        List<String> messages = refusedEverywhere(hide(hiding));
        assertThat(effectHappened()).isFalse();

        String via = switch (hiding) {
            case VIEW, VIEW_OF_VIEW, USER_FUNCTION_IN_VIEW -> "reads view ";
            default -> "calls ";
        };
        assertThat(messages).allSatisfy(m -> assertThat(m).contains(via));
    }

    /** The checks a user writes (joins, CTEs, CASE, COALESCE, string, window and time functions, subqueries, quoted names) run everywhere. */
    @Test
    void ordinaryChecksRunInPlanMigrateAndVerify() throws Exception {
        Migration migration = withChecks("kit_ordinary", ordinaryChecks(true), ordinaryChecks(false));
        assertThat(safeMigrate().plan(List.of(migration)).migrations().get(0).status()).isEqualTo("pending");

        MigrationReport report = safeMigrate().migrate(List.of(migration));

        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        VerifyReport verify = safeMigrate().verify(List.of(migration));
        assertThat(verify.violations()).isEmpty();
        assertThat(verify.checks()).extracting(c -> c.result().check()).anyMatch(c -> c.startsWith("postcondition at " + LOCATION));
    }

    /** A view over tables is read like a table: its definition is checked and passes. */
    @Test
    void aViewWithoutEffectsIsAllowed() throws Exception {
        Fixture.execute(dataSource, "CREATE VIEW sm_kit_plain AS SELECT id, LOWER(action_name) AS name FROM action_invariants WHERE note IS NOT NULL");
        long expected = Fixture.count(dataSource, "SELECT COUNT(*) FROM sm_kit_plain");
        Migration migration = withChecks("kit_view", List.of(check("SELECT COUNT(*) FROM sm_kit_plain v WHERE v.name <> ''", expected)), List.of());

        assertThat(safeMigrate().plan(List.of(migration)).migrations().get(0).status()).isEqualTo("pending");
        VerifyReport verify = safeMigrate().verify(List.of(withChecks("kit_view", List.of(), List.of(check("SELECT COUNT(*) FROM sm_kit_plain", expected)))));
        assertThat(verify.checks()).filteredOn(c -> c.result().check().startsWith("postcondition")).singleElement()
                .satisfies(c -> assertThat(c.result().holds()).isTrue());
    }

    /** Pre-state values are counted here first; post-state values follow from the fixture. */
    private List<SqlCheck> ordinaryChecks(boolean before) {
        String quotedTable = quotedName("action_invariants");
        String quotedId = quotedName("id");
        int rows = before ? Fixture.UNIQUE_ROWS + Fixture.DUPLICATE_ROWS : Fixture.UNIQUE_ROWS;
        List<SqlCheck> list = new ArrayList<>();
        list.add(check("SELECT COUNT(*) FROM invariant_checks c LEFT JOIN action_invariants a ON a.id = c.invariant_id WHERE a.id IS NULL", 0));
        list.add(check("WITH dup AS (SELECT action_name, position FROM action_invariants GROUP BY action_name, position HAVING COUNT(*) > 1)"
                + " SELECT COUNT(*) FROM dup", before ? Fixture.DUPLICATE_ROWS : 0));
        list.add(check("SELECT SUM(CASE WHEN COALESCE(note, '') = '' THEN 1 ELSE 0 END) FROM action_invariants WHERE LOWER(action_name) = action_name",
                rows / 10));
        list.add(check("SELECT COUNT(*) FROM action_invariants WHERE CHAR_LENGTH(TRIM(CONCAT(UPPER(action_name), ' '))) > 0"
                + " AND REPLACE(action_name, 'action_', '') <> '' AND SUBSTRING(action_name, 1, 7) = 'action_'", rows));
        list.add(check("SELECT COUNT(*) FROM (SELECT ROW_NUMBER() OVER (PARTITION BY action_name, position ORDER BY id) AS rn"
                + " FROM action_invariants) r WHERE r.rn > 1", before ? Fixture.DUPLICATE_ROWS : 0));
        list.add(check("SELECT COUNT(*) FROM action_invariants WHERE created_at < CURRENT_TIMESTAMP AND created_at < NOW()", rows));
        list.add(check("SELECT COUNT(*) FROM action_invariants a WHERE EXISTS (SELECT 1 FROM invariant_checks c WHERE c.invariant_id = a.id)"
                + " AND a.id IN (SELECT invariant_id FROM invariant_checks)", before ? Fixture.CHILD_ROWS : 117));
        list.add(check("SELECT COUNT(*) FROM " + quotedTable + " t WHERE t." + quotedId + " > 0", rows));
        list.add(check("SELECT COUNT(*) FROM action_invariants WHERE GREATEST(position, 0) >= LEAST(position, 0) AND NULLIF(id, 0) = id"
                + " AND ABS(ROUND(weight, 1)) >= 0 AND MOD(id, 1) = 0 AND CAST(id AS CHAR(10)) <> ''", rows));
        list.add(check("SELECT COUNT(*) FROM (SELECT id FROM action_invariants UNION ALL SELECT id FROM invariant_checks) u", rows + Fixture.CHILD_ROWS));
        return list;
    }

    /** {@code name} quoted as this database quotes it and spelled as its catalog stores unquoted names. */
    private String quotedName(String name) {
        try (Connection connection = dataSource.getConnection()) {
            String quote = connection.getMetaData().getIdentifierQuoteString();
            String stored = connection.getMetaData().storesUpperCaseIdentifiers() ? name.toUpperCase(java.util.Locale.ROOT) : name;
            return quote + stored + quote;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String SLOW = "SELECT COUNT(*) FROM action_invariants a, action_invariants b, action_invariants c, action_invariants d,"
            + " action_invariants e";

    private SafeMigrate withCheckTimeout(Duration timeout) {
        return configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(20)).checkTimeout(timeout)).build();
    }

    /**
     * While a run's check runs, the run keeps the migration lock: measured on the first version, a check
     * that released it (PostgreSQL pg_advisory_unlock_all) let a second migrate run alongside.
     */
    @Test
    void aRunKeepsTheMigrationLockWhileItsChecksRun() throws Exception {
        java.util.concurrent.CountDownLatch checking = new java.util.concurrent.CountDownLatch(1);
        RunListener listener = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (RunListener.Phase.DML_APPLIED.equals(phase)) {
                    checking.countDown();
                }
            }
        };
        SafeMigrate slow = configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(20))
                .checkTimeout(Duration.ofSeconds(5)).listener(listener)).build();
        java.util.concurrent.CompletableFuture<Throwable> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                slow.migrate(List.of(withChecks("kit_slow_first", List.of(), List.of(check(SLOW, 0)))));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(checking.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        SafeMigrate second = configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(1))).build();
        failure(ExitCode.LOCKED, () -> second.migrate(List.of(withChecks("kit_second", List.of(), List.of()))));

        Throwable firstOutcome = first.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(firstOutcome).isInstanceOf(dev.safemigrate.core.SafeMigrateException.class).hasMessageContaining("cancelled after");
        assertThat(invariants()).isEqualTo(invariantsBefore);
        assertThat(historyStatus("kit_second")).isNull();
    }

    @Test
    void aSlowPreconditionIsCancelledAndRefusesThePlan() throws Exception {
        Migration migration = withChecks("kit_slow_pre", List.of(check(SLOW, 0)), List.of());
        long started = System.nanoTime();

        String message = failure(ExitCode.REFUSED, () -> withCheckTimeout(Duration.ofSeconds(1)).plan(List.of(migration))).getMessage();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(message).contains("precondition at " + LOCATION).contains("cancelled after").contains("check timeout of 1 s");
        assertThat(invariants()).isEqualTo(invariantsBefore);
    }

    @Test
    void aSlowPostconditionIsCancelledAndTheRunRestored() throws Exception {
        Migration migration = withChecks("kit_slow_post", List.of(), List.of(check(SLOW, 0)));
        long started = System.nanoTime();

        String message = failure(ExitCode.FAILED_RESTORED, () -> withCheckTimeout(Duration.ofSeconds(1)).migrate(List.of(migration))).getMessage();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        assertThat(message).contains("postcondition at " + LOCATION).contains("cancelled after");
        assertThat(invariants()).isEqualTo(invariantsBefore);
        assertThat(checks()).isEqualTo(checksBefore);
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus("kit_slow_post")).isEqualTo("rolled_back");
    }
}
