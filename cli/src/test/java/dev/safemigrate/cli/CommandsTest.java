package dev.safemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.rules.Rules;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command's exit code against an H2 file database, run in this JVM. */
class CommandsTest {
    @TempDir
    Path tmp;

    Fixture db;

    @BeforeEach
    void seed() throws Exception {
        db = new Fixture(tmp).seeded();
    }

    @Test
    void migrateAppliesThenASecondMigrateDoesNothing() throws Exception {
        Path rules = db.rules();
        Fixture.Result first = db.run("migrate", rules.toString());
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.out()).contains("a5_006_action_invariants_unique: applied").contains("deleted 3");
        assertThat(db.longs("SELECT id FROM action_invariants ORDER BY id")).containsExactly(1L, 2L, 4L, 7L);
        assertThat(db.longs("SELECT invariant_id FROM invariant_checks ORDER BY id")).containsExactly(1L, 1L, 2L, 4L, 7L);
        assertThat(db.constraintExists()).isTrue();

        Fixture.Result second = db.run("migrate", tmp.toString());
        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.out()).contains("already applied").contains("nothing to migrate");

        Fixture.Result plan = db.run("plan", rules.toString());
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("a5_006_action_invariants_unique: already applied, nothing to do")
                .contains("0 migrations pending, 1 already applied; nothing was changed");
    }

    /** A constraint that already exists with the same columns is a no-op step: plan and migrate both say so, and migrate records it. */
    @Test
    void anExistingIdenticalConstraintIsNothingToDoInPlanAndMigrate() throws Exception {
        Path rules = db.write("same.yaml", """
                id: same_constraint
                steps:
                  - add_unique: {table: invariant_checks, name: uq_checks_id, columns: [id]}
                """);
        db.execute("ALTER TABLE invariant_checks ADD CONSTRAINT uq_checks_id UNIQUE (id)");

        Fixture.Result plan = db.run("plan", rules.toString());
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("step 1/1 [DDL] add_unique uq_checks_id").contains("      nothing to do\n");
        Fixture.Result migrate = db.run("migrate", rules.toString());
        assertThat(migrate.code()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).contains("same_constraint: applied").contains("nothing to do");
        assertThat(db.count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE LOWER(CONSTRAINT_NAME) = 'uq_checks_id'")).isEqualTo(1);
    }

    @Test
    void planChangesNothingAndShowsCounts() throws Exception {
        Fixture.Result plan = db.run("plan", db.rules().toString());
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("pending").contains("delete 3 of 7 rows").contains("nothing was changed");
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(7);
    }

    @Test
    void planSqlPrintsTheStatementsAfterTheCountsAndChangesNothing() throws Exception {
        Fixture.Result plan = db.run("plan", "--sql", db.rules().toString());
        assertThat(plan.code()).as(plan.toString()).isZero();
        String out = plan.out();
        assertThat(out.indexOf("delete 3 of 7 rows")).isGreaterThanOrEqualTo(0).isLessThan(out.indexOf("BEGIN;"));
        assertThat(out).contains("\nDELETE FROM \"ACTION_INVARIANTS\" WHERE \"ID\" IN (SELECT a.\"ID\" FROM \"SM_ARCHIVE_")
                .contains("-- outside a transaction (autocommit)").contains("\nCOMMIT;\n")
                .contains("ADD CONSTRAINT \"uq_action_invariants_action_position\" UNIQUE")
                .contains("SELECT count(*) FROM invariant_checks c LEFT JOIN action_invariants a ON a.id = c.invariant_id WHERE a.id IS NULL;")
                .contains("nothing was changed");
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(7);
        assertThat(db.count("SELECT COUNT(*) FROM invariant_checks WHERE invariant_id IN (3, 5, 6)")).isEqualTo(3);
        assertThat(db.archived("action_invariants")).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) LIKE 'sm\\_archive%' OR LOWER(TABLE_NAME) LIKE 'safemigrate\\_%'"))
                .isZero();
        assertThat(db.constraintExists()).isFalse();
    }

    @Test
    void malformedRulesFileExitsTwoNamingTheFile() throws Exception {
        Path bad = db.write("broken.yaml", "id: broken\nsteps:\n  - dedupe: [unclosed\n");
        Fixture.Result result = db.run("migrate", bad.toString());
        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("broken.yaml");
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(7);
    }

    /** Measured on the first version of checks, this precondition wrote the file under {@code plan}. */
    @Test
    void aPreconditionThatWritesAFileExitsTwoBeforeRunningAndNamesWhereItIs() throws Exception {
        Path pwned = tmp.resolve("pwned.txt");
        Path rules = db.rules("preconditions:\n  - sql: SELECT LENGTH(FILE_WRITE('pwned', '" + pwned + "')) - 5\n    expect: 0");
        for (String command : new String[] {"plan", "migrate", "verify"}) {
            Fixture.Result result = db.run(command, rules.toString());
            assertThat(result.code()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).contains("a5_006_action_invariants_unique.yaml:4:5").contains("calls file_write (it writes a file)");
        }
        assertThat(pwned).doesNotExist();
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(7);
    }

    @Test
    void aCheckRunningPastCheckTimeoutIsCancelledAndRefusesThePlan() throws Exception {
        Path rules = db.rules("preconditions:\n  - sql: SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000) a, SYSTEM_RANGE(1, 100000) b\n    expect: 0");
        long started = System.nanoTime();
        Fixture.Result result = db.run("plan", "--check-timeout", "1", rules.toString());
        assertThat(result.code()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).contains("cancelled after").contains("check timeout of 1 s");
        assertThat(System.nanoTime() - started).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
        assertThat(db.run("plan", "--check-timeout", "0", rules.toString()).code()).isEqualTo(2);
    }

    @Test
    void missingRulesFileExitsTwo() {
        Fixture.Result result = db.run("plan", tmp.resolve("nope.yaml").toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("nope.yaml");
    }

    @Test
    void editedAppliedFileExitsTwoNamingTheId() {
        Path rules = db.rules();
        assertThat(db.run("migrate", rules.toString()).code()).isZero();
        db.write(rules.getFileName().toString(), Fixture.RULES.formatted("").replace("Deduplicate action", "Deduplicate all action"));
        Fixture.Result result = db.run("migrate", rules.toString());
        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("a5_006_action_invariants_unique");
    }

    @Test
    void guardRefusesWithExitThreeAndChangesNothing() throws Exception {
        Fixture.Result result = db.run("migrate", db.rules("guards:\n  max_delete_fraction: 0.1").toString());
        assertThat(result.code()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).contains("max_delete_fraction");
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(7);
        assertThat(db.constraintExists()).isFalse();
    }

    @Test
    void verifyExitsFourListingTheDuplicatesThenZeroOnceMigrated() {
        Path rules = db.rules();
        Fixture.Result before = db.run("verify", rules.toString());
        assertThat(before.code()).as(before.toString()).isEqualTo(4);
        assertThat(before.out()).contains("FAILED").contains("no duplicates on action_invariants").contains("(a, 0) x2")
                .contains("count 3");
        assertThat(db.run("migrate", rules.toString()).code()).isZero();
        Fixture.Result after = db.run("verify", rules.toString());
        assertThat(after.code()).as(after.toString()).isZero();
        assertThat(after.out()).doesNotContain("FAILED").contains("hold");
    }

    @Test
    void statusListsTheHistoryAndPendingMigrations() {
        Path rules = db.rules();
        Fixture.Result pending = db.run("status", rules.toString());
        assertThat(pending.code()).as(pending.toString()).isZero();
        assertThat(pending.out()).contains("pending: a5_006_action_invariants_unique");
        db.run("migrate", rules.toString());
        Fixture.Result applied = db.run("status");
        assertThat(applied.code()).isZero();
        assertThat(applied.out()).contains("a5_006_action_invariants_unique").contains("applied").contains("deleted 3");
    }

    @Test
    void statusFlagsAnAppliedMigrationWhoseFileWasEditedShowsEverythingAndExitsTwo() {
        Path rules = db.rules();
        assertThat(db.run("migrate", rules.toString()).code()).isZero();
        String applied = Rules.load(rules).get(0).checksum();
        db.write(rules.getFileName().toString(), Fixture.RULES.formatted("").replace("Deduplicate action", "Deduplicate all action"));
        String edited = Rules.load(rules).get(0).checksum();
        Path pending = db.write("b1_pending.yaml", Fixture.RULES.formatted("").replace("a5_006_action_invariants_unique", "b1_pending"));

        Fixture.Result result = db.run("status", rules.toString(), pending.toString());

        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.out()).contains("a5_006_action_invariants_unique").contains("applied").contains("deleted 3")
                .contains("    CHANGED since it was applied: " + rules + " has checksum " + edited + ", the history has " + applied + "\n")
                .endsWith("pending: b1_pending\nchanged since applied: a5_006_action_invariants_unique\n");
        assertThat(result.err()).isEqualTo("error: 1 applied migration changed since applied: a5_006_action_invariants_unique (" + rules
                + "): its checksum is " + edited + ", the history has " + applied + ". Applied migrations must not be edited (migrate and plan"
                + " refuse them): put the file back as it was and write a new migration instead\n");
        // The same file, as migrate sees it.
        Fixture.Result migrate = db.run("migrate", rules.toString());
        assertThat(migrate.code()).isEqualTo(2);
        assertThat(migrate.err()).contains(edited).contains(applied);
    }

    @Test
    void undoPutsEveryRowBackAndDropsTheConstraint() throws Exception {
        Path rules = db.rules();
        assertThat(db.run("migrate", rules.toString()).code()).isZero();
        Fixture.Result undo = db.run("undo", "a5_006_action_invariants_unique");
        assertThat(undo.code()).as(undo.toString()).isZero();
        assertThat(undo.out()).contains("undone");
        assertThat(db.longs("SELECT id FROM action_invariants ORDER BY id")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(db.longs("SELECT invariant_id FROM invariant_checks ORDER BY id")).containsExactly(1L, 3L, 5L, 6L, 7L);
        assertThat(db.constraintExists()).isFalse();
        assertThat(db.run("status").out()).contains("undone");
        assertThat(db.run("undo", "no_such_migration").code()).isNotZero();
    }

    @Test
    void recoverWithNothingInterruptedSaysSo() {
        Fixture.Result result = db.run("recover");
        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).contains("nothing to recover");
    }

    @Test
    void anotherRunHoldingTheLockMakesMigrateExitSix() throws Exception {
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS safemigrate_lock (id INT PRIMARY KEY, owner VARCHAR(200), acquired_at TIMESTAMP)");
            statement.execute("MERGE INTO safemigrate_lock (id) KEY (id) VALUES (1)");
            holder.setAutoCommit(false);
            statement.executeUpdate("UPDATE safemigrate_lock SET owner = 'another run', acquired_at = CURRENT_TIMESTAMP WHERE id = 1");
            Fixture.Result result = db.run("migrate", "--lock-timeout", "1", db.rules().toString());
            assertThat(result.code()).as(result.toString()).isEqualTo(6);
            assertThat(result.err()).contains("lock");
            holder.rollback();
        }
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(7);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(db.run("migrate").code()).isEqualTo(2);
        assertThat(db.run("frobnicate").code()).isEqualTo(2);
        assertThat(db.run("status", "--lock-timeout", "soon").code()).isEqualTo(2);
        assertThat(db.run().code()).isEqualTo(2);
    }

    @Test
    void urlComesFromTheCommandLineBeforeTheEnvironment() {
        Fixture.Result result = Fixture.runWithEnv(Map.of("SAFEMIGRATE_URL", "jdbc:nothing:here"), "status", "--url", db.url);
        assertThat(result.code()).as(result.toString()).isZero();
        Fixture.Result fromEnv = Fixture.runWithEnv(Map.of("SAFEMIGRATE_URL", "jdbc:nothing:here"), "status");
        assertThat(fromEnv.code()).isEqualTo(2);
        assertThat(fromEnv.err()).contains("cannot connect");
    }

    @Test
    void aPasswordVariableThatIsNotSetExitsTwo() {
        Fixture.Result result = db.run("status", "--password-env", "SAFEMIGRATE_TEST_NO_SUCH_VARIABLE");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("SAFEMIGRATE_TEST_NO_SUCH_VARIABLE");
    }

    @Test
    void progressLinesWhenAskedFor() {
        Fixture.Result result = db.run("migrate", "--progress", db.rules().toString());
        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.err()).contains("step 1/2: dedupe").contains("rows,");
        Fixture.Result quiet = db.run("status", "--quiet");
        assertThat(quiet.out()).isEmpty();
    }
}
