package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.StatementHook;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code strategy: shadow_swap} gives the same data as the compensating strategy,
 * keeps the original table as the archive, survives a crash at every phase, lets no committed write be
 * lost, and is refused where a foreign key points into the table.
 */
class MysqlShadowSwapTest extends KitSupport {
    private static final String AFTER_SWAP = "after_swap";

    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    private static DedupeStep dedupe(boolean shadowSwap) {
        return new DedupeStep(TableName.parse("action_invariants"), List.of("action_name", "position"), List.of(OrderItem.asc("id")),
                NullsMode.DISTINCT, true, List.of(), shadowSwap);
    }

    private static Migration shadow() {
        return migration("my_shadow", dedupe(true), uniqueInvariants());
    }

    /** archive: false — the original table is dropped once the cleaned copy has been swapped in. */
    private static Migration shadowWithoutArchive() {
        return migration("my_shadow_no_archive", new DedupeStep(TableName.parse("action_invariants"), List.of("action_name", "position"),
                List.of(OrderItem.asc("id")), NullsMode.DISTINCT, false, List.of(), true), uniqueInvariants());
    }

    /** Fails the drops of the original table after the swap: the second DROP of an archive-named table, and the third too if {@code again}. */
    private static StatementHook failingDropAfterSwap(boolean again, java.util.concurrent.atomic.AtomicInteger drops) {
        return new StatementHook(sql -> {
            if (sql != null && sql.startsWith("DROP TABLE `sm_archive")) {
                int n = drops.incrementAndGet();
                if (n == 2 || again && n > 2) {
                    throw new SQLException("injected failure of: " + sql);
                }
            }
        });
    }

    private void seedWithoutChildren() throws SQLException {
        Fixture.seed(dataSource);
        Fixture.execute(dataSource, "DROP TABLE invariant_checks");
    }

    /** The archive (the original table) minus the rows still in the table: the rows the run deleted. */
    private List<Map<String, Object>> deletedRows() throws SQLException {
        assertThat(archiveTables()).hasSize(1);
        return Fixture.query(dataSource, "SELECT a.* FROM `" + archiveTables().get(0) + "` a WHERE NOT EXISTS"
                + " (SELECT 1 FROM action_invariants t WHERE t.id = a.id) ORDER BY a.id");
    }

    @Test
    void sameSurvivorsAsCompensatingAndTheOriginalIsTheArchive() throws Exception {
        seedWithoutChildren();
        List<Map<String, Object>> before = invariants();
        safeMigrate().migrate(List.of(migration("my_compensating", dedupe(false), uniqueInvariants())));
        List<Map<String, Object>> compensated = invariants();
        List<Map<String, Object>> compensatingArchive = archived("action_invariants");
        freshDatabase("shadow");
        seedWithoutChildren();

        MigrationPlan plan = safeMigrate().plan(List.of(shadow()));
        var report = safeMigrate().migrate(List.of(shadow()));

        assertThat(plan.migrations().get(0).strategy()).isEqualTo("shadow_swap");
        assertThat(report.migrations().get(0).strategy()).isEqualTo("shadow_swap");
        assertThat(report.migrations().get(0).steps().get(0).outcome().deleted()).isEqualTo(Fixture.DUPLICATE_ROWS);
        assertThat(invariants()).isEqualTo(compensated).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(Fixture.rows(dataSource, "`" + archiveTables().get(0) + "`", "id")).isEqualTo(before);
        assertThat(deletedRows()).hasSize(Fixture.DUPLICATE_ROWS);
        assertThat(deletedRows().stream().map(r -> r.get("id")).toList()).isEqualTo(compensatingArchive.stream().map(r -> r.get("id")).toList());
        var history = safeMigrate().status(List.of(shadow())).history().get(0);
        assertThat(history.strategy()).isEqualTo("shadow_swap");
        assertThat(history.message()).contains(archiveTables().get(0));
    }

    /** plan --sql cannot follow the swap onto its second connection: it shows the statements up to there, says so, and changes nothing. */
    @Test
    void planSqlShowsTheSwapUpToTheCutoverAndSaysWhereItStops() throws Exception {
        seedWithoutChildren();
        var before = invariants();
        var tables = Fixture.tables(dataSource);

        List<String> statements = safeMigrate().planWithStatements(List.of(shadow())).migrations().get(0).statements();

        assertThat(statements).anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE").contains(" LIKE "))
                .anySatisfy(s -> assertThat(s).matches("(?s)SET STATEMENT lock_wait_timeout = 1, max_statement_time = 0\\.100 FOR LOCK TABLES .*"));
        assertThat(statements.get(statements.size() - 1)).contains("the dry run stopped here").contains("second connection");
        assertThat(invariants()).isEqualTo(before);
        assertThat(Fixture.tables(dataSource)).containsExactlyInAnyOrderElementsOf(tables);
    }

    @Test
    void undoPutsTheDeletedRowsBackAndDropsTheConstraint() throws Exception {
        seedWithoutChildren();
        List<Map<String, Object>> before = invariants();
        safeMigrate().migrate(List.of(shadow()));

        safeMigrate().undo("my_shadow");

        assertThat(invariants()).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus("my_shadow")).isEqualTo("undone");
    }

    @Test
    void aNewRowNeverGetsTheIdOfADeletedRowSoUndoStillWorks() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE tags (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL)",
                "INSERT INTO tags (name) VALUES ('a'), ('b'), ('a')");
        DedupeStep tags = new DedupeStep(TableName.parse("tags"), List.of("name"), List.of(), NullsMode.DISTINCT, true, List.of(), true);
        safeMigrate().migrate(List.of(migration("my_tags", tags, new AddUniqueStep(TableName.parse("tags"), "uq_tags_name", List.of("name"), null))));

        Fixture.execute(dataSource, "INSERT INTO tags (name) VALUES ('c')");
        safeMigrate().undo("my_tags");

        assertThat(Fixture.query(dataSource, "SELECT id, name FROM tags ORDER BY id").stream().map(r -> r.get("id") + "=" + r.get("name")).toList())
                .containsExactly("1=a", "2=b", "3=a", "4=c");
    }

    @Test
    void undoWithoutTheOriginalTableIsRefusedAndChangesNothing() throws Exception {
        seedWithoutChildren();
        safeMigrate().migrate(List.of(shadow()));
        Fixture.execute(dataSource, "DROP TABLE `" + archiveTables().get(0) + "`");
        List<Map<String, Object>> after = invariants();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().undo("my_shadow")).getMessage();

        assertThat(message).contains("no longer exists");
        assertThat(invariants()).isEqualTo(after);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(historyStatus("my_shadow")).isEqualTo("applied");
    }

    /** An undo whose archive table could not be dropped after its data transaction committed leaves status undone and the table. */
    @Test
    void undoThatLeftItsEmptyArchiveBehindIsCleanedUpAndTheMigrationRunsAgain() throws Exception {
        seedWithoutChildren();
        safeMigrate().migrate(List.of(shadow()));
        State migrated = state();
        safeMigrate(StatementHook.failing("DROP TABLE")).undo(shadow().id());
        assertThat(historyStatus(shadow().id())).isEqualTo("undone");
        assertThat(archiveTables()).hasSize(1);

        assertThat(safeMigrate().recover()).singleElement().satisfies(line -> assertThat(line).contains("removed leftover archive"));
        assertThat(archiveTables()).isEmpty();
        safeMigrate().migrate(List.of(shadow()));

        assertThat(state()).isEqualTo(migrated);
        assertThat(historyStatus(shadow().id())).isEqualTo("applied");
    }

    @Test
    void archiveFalseDropsTheOriginalTableAfterTheSwap() throws Exception {
        seedWithoutChildren();

        var report = safeMigrate().migrate(List.of(shadowWithoutArchive()));

        assertThat(report.migrations().get(0).strategy()).isEqualTo("shadow_swap");
        assertThat(report.migrations().get(0).steps().get(0).outcome().deleted()).isEqualTo(Fixture.DUPLICATE_ROWS);
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(archiveTables()).isEmpty();
        assertThat(safeMigrate().status(List.of(shadowWithoutArchive())).history().get(0).message())
                .contains("archive: false, so the original table was dropped after the swap");
    }

    /** A statement failing after the rename happened is not a failed run: the swap is there, so the run is completed. */
    @Test
    void aFailureAfterTheSwapCompletesTheRunInsteadOfReportingAFailure() throws Exception {
        seedWithoutChildren();
        List<Map<String, Object>> expected = invariants().stream().filter(r -> ((Number) r.get("id")).longValue() <= Fixture.UNIQUE_ROWS).toList();

        var drops = new java.util.concurrent.atomic.AtomicInteger();

        var report = safeMigrate(failingDropAfterSwap(false, drops)).migrate(List.of(shadowWithoutArchive()));

        assertThat(drops).as("the placeholder's drop, the failed drop of the original, its retry").hasValue(3);

        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS).isEqualTo(expected);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus("my_shadow_no_archive")).isEqualTo("applied");
    }

    /** When completing the swapped run fails too, exit 5 says so and recover completes it from the catalog. */
    @Test
    void aSwapThatCannotBeSettledExitsFiveAndRecoverCompletesIt() throws Exception {
        seedWithoutChildren();
        List<Map<String, Object>> before = invariants();

        String message = failure(ExitCode.INTERMEDIATE, () -> safeMigrate(failingDropAfterSwap(true, new java.util.concurrent.atomic.AtomicInteger())).migrate(List.of(shadowWithoutArchive())))
                .getMessage();

        assertThat(message).contains("Settling the table swap also failed").contains("The history says in_progress")
                .contains("`safemigrate recover` completes the run if action_invariants was swapped");
        assertThat(historyStatus("my_shadow_no_archive")).isEqualTo("in_progress");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(archiveTables()).hasSize(1);
        assertThat(Fixture.rows(dataSource, "`" + archiveTables().get(0) + "`", "id")).isEqualTo(before);

        List<String> recovered = safeMigrate().recover();

        assertThat(recovered).singleElement().asString().contains("had swapped in the cleaned action_invariants; marked applied");
        assertThat(historyStatus("my_shadow_no_archive")).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
    }

    @Test
    void moreDeletionsThanTheGuardAllowsAreRefusedAndTheCopyDropped() throws Exception {
        seedWithoutChildren();
        List<Map<String, Object>> before = invariants();
        Migration guarded = migration("my_shadow_guarded", new dev.safemigrate.core.model.Guards(0.1), List.of(), List.of(),
                dedupe(true), uniqueInvariants());

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(guarded))).getMessage();

        assertThat(message).contains("would delete " + Fixture.DUPLICATE_ROWS + " of " + (Fixture.UNIQUE_ROWS + Fixture.DUPLICATE_ROWS))
                .contains("more than max_delete_fraction 0.1 allows");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
    }

    /** The copy's name, as the run would create it: read from plan --sql, which changes nothing. */
    private String copyName() {
        String create = safeMigrate().planWithStatements(List.of(shadow())).migrations().get(0).statements().stream()
                .filter(s -> s.startsWith("CREATE TABLE") && s.contains(" LIKE ")).findFirst().orElseThrow();
        return create.substring(create.indexOf('`') + 1, create.indexOf('`', create.indexOf('`') + 1));
    }

    @Test
    void aTableUnderTheCopysNameThatHoldsRowsIsRefusedAndKept() throws Exception {
        seedWithoutChildren();
        List<Map<String, Object>> before = invariants();
        String copy = copyName();
        Fixture.execute(dataSource, "CREATE TABLE `" + copy + "` (id INT PRIMARY KEY)", "INSERT INTO `" + copy + "` (id) VALUES (7)");

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(shadow()))).getMessage();

        assertThat(message).contains("the table " + copy + " that it would create already exists and holds rows");
        assertThat(invariants()).isEqualTo(before);
        assertThat(Fixture.query(dataSource, "SELECT id FROM `" + copy + "`")).extracting(r -> r.get("id")).containsExactly(7);
    }

    @Test
    void anEmptyTableUnderTheCopysNameIsReplaced() throws Exception {
        seedWithoutChildren();
        String copy = copyName();
        Fixture.execute(dataSource, "CREATE TABLE `" + copy + "` (id INT PRIMARY KEY)");

        safeMigrate().migrate(List.of(shadow()));

        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(historyStatus(shadow().id())).isEqualTo("applied");
        assertThat(deletedRows()).hasSize(Fixture.DUPLICATE_ROWS);
    }

    /** A failure before the rename was issued can never be a swap, whatever tables an earlier run left. */
    @Test
    void aFailureBeforeTheRenameIsNeverTakenForASwap() throws Exception {
        seedWithoutChildren();
        safeMigrate().migrate(List.of(shadow()));
        safeMigrate(StatementHook.failing("DROP TABLE")).undo(shadow().id());
        List<Map<String, Object>> undone = invariants();

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(StatementHook.failing("CREATE TABLE `sm_archive")).migrate(List.of(shadow())))
                .getMessage();

        assertThat(message).contains("was not swapped");
        assertThat(invariants()).isEqualTo(undone);
        assertThat(historyStatus(shadow().id())).isEqualTo("rolled_back");
    }

    @Test
    void refusedWhenAForeignKeyPointsIntoTheTable() throws Exception {
        Fixture.seed(dataSource);
        List<Map<String, Object>> before = invariants();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(shadow()))).getMessage();

        // The dedupe itself refuses a foreign key it is not told to repoint, before any strategy is chosen.
        assertThat(message).contains("fk_checks_invariant").contains("not listed under repoint");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
    }

    /** A postcondition would read the table before its swap, so it could never see the cleaned rows: refused before any change. */
    @Test
    void refusedWhenTheMigrationHasPostconditions() throws Exception {
        seedWithoutChildren();
        List<Map<String, Object>> before = invariants();
        Migration withPostcondition = migration("my_shadow_checked", dev.safemigrate.core.model.Guards.DEFAULT, List.of(),
                List.of(new dev.safemigrate.core.model.SqlCheck("SELECT COUNT(*) FROM action_invariants", dev.safemigrate.core.model.Expectation.exactly(
                        Fixture.UNIQUE_ROWS), "test")), dedupe(true), uniqueInvariants());

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(withPostcondition))).getMessage();

        assertThat(message).contains("postconditions would read action_invariants before it is swapped");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
    }

    @Test
    void refusedWhenATriggerWouldStayWithTheOriginalTable() throws Exception {
        seedWithoutChildren();
        Fixture.execute(dataSource, "CREATE TRIGGER ai_note BEFORE INSERT ON action_invariants FOR EACH ROW SET NEW.note = COALESCE(NEW.note, 'x')");
        List<Map<String, Object>> before = invariants();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(shadow()))).getMessage();

        assertThat(message).contains("ai_note").contains("refused");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
    }

    private record State(List<Map<String, Object>> invariants, boolean constraint) {
    }

    private State state() throws SQLException {
        return new State(invariants(), Fixture.constraintExists(dataSource, UNIQUE_NAME));
    }

    /** Stands for a killed process: an Error escapes every handler, and the session's connection is closed. */
    private static final class Crash extends Error {
        Crash(String where) {
            super("simulated crash at " + where);
        }
    }

    private SafeMigrate swapCrashingAt(String where) {
        return SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(20)).listener(new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (phase.equals(where)) {
                    throw new Crash(where);
                }
            }

            @Override
            public void stepFinished(String id, int number, int total, String summary, long rows, Duration elapsed) {
                if (AFTER_SWAP.equals(where)) {
                    throw new Crash(where);
                }
            }
        }).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {RunListener.Phase.PREPARED, RunListener.Phase.DML_APPLIED, RunListener.Phase.BETWEEN_PHASES, AFTER_SWAP})
    void aCrashAtAnyPhaseLeavesTheTableUntouchedOrSwapped(String where) throws Exception {
        seedWithoutChildren();
        State before = state();
        try {
            swapCrashingAt(where).migrate(List.of(shadow()));
            throw new AssertionError("the run did not reach " + where);
        } catch (Crash expected) {
            // The run died where asked.
        }
        State crashed = state();
        List<String> recovered = safeMigrate().recover();
        State after = state();
        String status = historyStatus("my_shadow");
        System.out.printf("shadow swap crash at %s: right after %s; recover: %s; history %s%n", where,
                crashed.invariants().equals(before.invariants()) ? "untouched" : "swapped", recovered, status);
        assertThat(crashed.invariants().size()).isIn(Fixture.UNIQUE_ROWS, Fixture.UNIQUE_ROWS + Fixture.DUPLICATE_ROWS);
        if (after.equals(before)) {
            assertThat(status).isEqualTo("rolled_back");
            assertThat(archiveTables()).isEmpty();
        } else {
            assertThat(status).isEqualTo("applied");
            assertThat(after.invariants()).hasSize(Fixture.UNIQUE_ROWS);
            assertThat(after.constraint()).isTrue();
            assertThat(deletedRows()).hasSize(Fixture.DUPLICATE_ROWS);
        }
        safeMigrate().migrate(List.of(shadow()));
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(deletedRows()).hasSize(Fixture.DUPLICATE_ROWS);
    }

    @Test
    void everyCommittedConcurrentWriteSurvivesTheSwap() throws Exception {
        seedWithoutChildren();
        List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                for (int id = 10_000; !stop.get(); id++) {
                    try {
                        statement.execute("INSERT INTO action_invariants (id, action_name, position) VALUES (" + id + ", 'writer', " + id + ")");
                        committed.add(id);
                    } catch (SQLException e) {
                        errors.add(id + ": " + e.getMessage());
                    }
                }
            } catch (SQLException e) {
                errors.add(e.getMessage());
            }
        });
        writer.start();
        while (committed.size() < 20) {
            Thread.sleep(5);
        }
        int beforeRun = committed.size();
        long[] waiting = {0};
        RunListener seeWaiting = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (RunListener.Phase.DML_APPLIED.equals(phase)) {
                    waiting[0] = waitingSessions();
                }
            }
        };
        SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(20)).listener(seeWaiting).build().migrate(List.of(shadow()));
        int afterRun = committed.size();
        Thread.sleep(100);
        stop.set(true);
        writer.join();

        List<Map<String, Object>> written = Fixture.query(dataSource, "SELECT id FROM action_invariants WHERE action_name = 'writer' ORDER BY id");
        System.out.printf("shadow swap with a concurrent writer: %d rows committed (%d during the run), %d errors,"
                + " %d session(s) waiting for the locks at the cut-over%n", committed.size(), afterRun - beforeRun, errors.size(), waiting[0]);
        assertThat(waiting[0]).as("the rename and the writer wait behind the run's locks").isGreaterThanOrEqualTo(2);
        assertThat(errors).isEmpty();
        assertThat(written.stream().map(r -> ((Number) r.get("id")).intValue()).toList()).isEqualTo(committed);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(deletedRows()).hasSize(Fixture.DUPLICATE_ROWS);
    }

    private long waitingSessions() {
        try {
            return Fixture.count(dataSource, "SELECT COUNT(*) FROM information_schema.processlist WHERE state = 'Waiting for table metadata lock'"
                    + " AND (db = DATABASE() OR info LIKE '%RENAME TABLE%')");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
