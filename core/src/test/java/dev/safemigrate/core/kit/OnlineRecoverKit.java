package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.StatusReport;
import dev.safemigrate.core.model.Migration;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code recover} (no rules file) of an interrupted online run: one whose chunks had begun committing is finished from
 * the definition the run journaled, to exactly what an uninterrupted run leaves; one interrupted before its first chunk,
 * or begun by an older safemigrate (no definition journaled), is reversed, and the message says which and why.
 */
public abstract class OnlineRecoverKit extends OnlineKitSupport {
    private static final String WHOLE_RUN = (SMALL_ROWS - distinct(SMALL_ROWS)) + " duplicate row(s) deleted and "
            + Math.min(20_000, SMALL_ROWS - distinct(SMALL_ROWS)) / 2 + " child row(s) repointed";

    private String phase(Migration migration) {
        StatusReport status = safeMigrate().status(List.of(migration));
        assertThat(status.history().get(0).status().value()).isEqualTo("in_progress");
        return status.history().get(0).phase();
    }

    /** Killed after its third chunk: recover goes on at the next key group, as migrate's resumption would, and says so with the counts. */
    @Test
    void recoverFinishesARunInterruptedAfterAChunk() throws Exception {
        seed(SMALL_ROWS);
        Migration migration = inChunksOf300();
        interrupt(crashingAfterChunk(3), migration);
        String phase = phase(migration);
        assertThat(phase).matches("online_chunks:\\d+/\\d+");
        assertThat(count("SELECT COUNT(*) FROM online_items")).isEqualTo(SMALL_ROWS - 900);

        long start = System.nanoTime();
        List<String> recovered = safeMigrate().recover();
        System.out.printf("recover after chunk 3 (%s) took %.1f s: %s%n", getClass().getSimpleName(), (System.nanoTime() - start) / 1e9, recovered);

        assertThat(recovered).singleElement().asString().contains("recover finished the interrupted online run (it had stopped after key group "
                + phase.substring(phase.indexOf(':') + 1).replace("/", " of ") + ")").contains(WHOLE_RUN).contains("(4 chunk(s) by recover)")
                .contains("the constraint uq_online_items_grp_k is in place, and the migration is now applied");
        assertThat(historyMessage(migration.id())).contains("resumed an interrupted run").contains("had removed 900 duplicate row(s)");
        assertDataAsIfNeverInterrupted();
        MigrationReport again = safeMigrate().migrate(List.of(migration));
        assertThat(again.recovered()).isEmpty();
        assertThat(again.migrations().get(0).outcome()).isEqualTo("already_applied");
    }

    /** Killed at the statement that adds the constraint, every chunk committed (phase online_constraint): recover builds it. */
    @Test
    void recoverFinishesARunInterruptedWhileAddingTheConstraint() throws Exception {
        seed(SMALL_ROWS);
        Migration migration = inChunksOf300();
        interrupt(crashingAtTheConstraint(), migration);
        assertThat(phase(migration)).isEqualTo("online_constraint");
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isFalse();

        List<String> recovered = safeMigrate().recover();

        assertThat(recovered).singleElement().asString().contains("(it had stopped after its last chunk)").contains(WHOLE_RUN)
                .contains("(0 chunk(s) by recover)").contains("is now applied");
        assertDataAsIfNeverInterrupted();
    }

    /**
     * Killed while removing its key guard and work tables, the constraint in place and the late pass done (phase
     * online_removing, the guard already gone): recover only finishes the removal, needing none of the work tables.
     */
    @Test
    void recoverFinishesARunInterruptedWhileRemovingItsGuardAndWorkTables() throws Exception {
        seed(SMALL_ROWS);
        Migration migration = inChunksOf300();
        interrupt(safeMigrate(new RunListener() { }, new StatementHook(sql -> {
            if (sql != null && sql.startsWith("DROP TABLE IF EXISTS") && sql.toLowerCase(java.util.Locale.ROOT).contains("sm_online_")) {
                throw new SimulatedCrash(sql);
            }
        })), migration);
        assertThat(phase(migration)).isEqualTo("online_removing");
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isTrue();

        List<String> recovered = safeMigrate().recover();

        assertThat(recovered).singleElement().asString().contains("(it had stopped after its last chunk, its constraint and its late pass)")
                .contains(WHOLE_RUN).contains("(0 chunk(s) by recover)").contains("is now applied");
        assertDataAsIfNeverInterrupted();
    }

    /**
     * Killed once the guard was in place, before any chunk committed (phase preparing): nothing of the data had changed, so
     * there is nothing to finish; recover removes the guard, index and work tables, and the next migrate runs it afresh.
     */
    @Test
    void recoverReversesARunInterruptedBeforeItsFirstChunkAndMigrateRunsItFromTheStart() throws Exception {
        seed(SMALL_ROWS);
        State before = originalRows();
        Migration migration = inChunksOf300();
        interrupt(crashingAt(RunListener.Phase.GUARDED), migration);
        assertThat(phase(migration)).isEqualTo("preparing");
        assertThatThrownBy(() -> Fixture.execute(dataSource, "INSERT INTO online_items (id, grp, k, payload) VALUES ("
                + OnlineWriters.DUPLICATE_IDS + ", 1, 0, 'duplicate after the crash')")).as("the guard outlives the process")
                .isInstanceOf(SQLException.class);

        List<String> recovered = safeMigrate().recover();

        assertThat(recovered).singleElement().asString()
                .contains("interrupted before its first chunk committed (phase preparing), so no row had changed and there was nothing to finish")
                .contains("(0 row(s) and value(s) restored)").contains("its key guard and work tables were removed")
                .contains("the next migrate runs it from the start");
        assertThat(originalRows()).isEqualTo(before);
        assertThat(historyStatus(migration.id())).isEqualTo("rolled_back");
        assertThat(archivedRowCount()).isZero();
        assertThat(Fixture.constraintExists(dataSource, "uq_online_items_grp_k")).isFalse();
        assertNothingLeftBehind();

        assertMigratedAsIfNeverInterrupted(safeMigrate().migrate(List.of(migration)));
    }

    /**
     * A run begun by a safemigrate that did not journal its definition, nor the reversal in slices (simulated by deleting
     * those entries): recover cannot finish it without the rules file, so it reverses it as that version did, in one
     * transaction, saying why; the guard is gone, and migrate runs it again.
     */
    @Test
    void recoverReversesARunWhoseDefinitionWasNotJournaled() throws Exception {
        seed(SMALL_ROWS);
        State before = originalRows();
        Migration migration = inChunksOf300();
        interrupt(crashingAfterChunk(2), migration);
        assertThat(phase(migration)).startsWith("online_chunks:");
        assertThat(count("SELECT COUNT(*) FROM safemigrate_journal WHERE object_name = 'online_definition'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM safemigrate_journal WHERE kind = 'sliced_restore'")).isPositive();
        Fixture.execute(dataSource, "DELETE FROM safemigrate_journal WHERE object_name = 'online_definition' OR kind = 'sliced_restore'");
        assertThat(safeMigrate().plan(List.of(migration)).migrations().get(0).strategyPlan()).singleElement().asString()
                .contains("migrate resumes it").contains("recover would reverse it instead: it was begun by an older safemigrate");

        List<String> recovered = safeMigrate().recover();

        assertThat(recovered).singleElement().asString().contains("begun by an older safemigrate, which did not journal the run's definition,"
                + " so recover cannot finish it without the rules file").contains("recover reversed it from the archive (900 row(s) and value(s)"
                + " restored)").contains("key guard and work tables were removed");
        assertReversedAsBefore(before, migration);
        Fixture.execute(dataSource, "INSERT INTO online_items (id, grp, k, payload) VALUES (" + OnlineWriters.DUPLICATE_IDS + ", 1, 0, 'no guard')",
                "DELETE FROM online_items WHERE id = " + OnlineWriters.DUPLICATE_IDS);

        assertMigratedAsIfNeverInterrupted(safeMigrate().migrate(List.of(migration)));
    }

    /**
     * A foreign key into the table added while the run was dead: planning the run again refuses it (the key is not among
     * its repoints), so recover cannot finish it and reverses it, saying why; nothing ran of the rebuilt migration.
     */
    @Test
    void recoverReversesARunThatPlanningRefusesNow() throws Exception {
        seed(SMALL_ROWS);
        State before = originalRows();
        Migration migration = inChunksOf300();
        interrupt(crashingAfterChunk(2), migration);
        Fixture.execute(dataSource, "CREATE TABLE online_notes (id BIGINT NOT NULL PRIMARY KEY, item_id BIGINT,"
                + " CONSTRAINT fk_notes_item FOREIGN KEY (item_id) REFERENCES online_items (id))");

        List<String> recovered = safeMigrate().recover();

        assertThat(recovered).singleElement().asString().contains("recover could not finish it, as planning it again refused it: ")
                .contains("fk_notes_item").contains("recover reversed it from the archive (900 row(s) and value(s) restored, in ");
        assertReversedAsBefore(before, migration);
    }

    /**
     * The same refusal met by migrate of the unchanged rules file, which would resume the run: it refuses (exit 3) without
     * touching anything, and says the truth, that the data is as the interrupted run left it (900 rows in the archive), not as
     * it was, and both ways out; plan says so beforehand. Dropping the key lets migrate resume the run.
     */
    @Test
    void migrateRefusesToResumeARunThatPlanningRefusesNowAndSaysTheDataIsHalfWay() throws Exception {
        seed(SMALL_ROWS);
        Migration migration = inChunksOf300();
        interrupt(crashingAfterChunk(2), migration);
        State interrupted = originalRows();
        Fixture.execute(dataSource, "CREATE TABLE online_notes (id BIGINT NOT NULL PRIMARY KEY, item_id BIGINT,"
                + " CONSTRAINT fk_notes_item FOREIGN KEY (item_id) REFERENCES online_items (id))");

        assertThat(safeMigrate().plan(List.of(migration)).migrations().get(0).strategyPlan()).singleElement().asString()
                .contains("migrate would refuse to resume it now").contains("fk_notes_item");
        SafeMigrateException refused = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration)));

        assertThat(refused.getMessage()).contains("cannot resume the interrupted run of online_001_items").contains("fk_notes_item")
                .contains("this migrate changed nothing").contains("as the interrupted run left it, not as it was before that run")
                .contains("900 row(s) in its archive").contains("safemigrate recover").contains("run migrate again to resume it")
                .doesNotContainIgnoringCase("nothing was changed").doesNotContain("database is as it was");
        assertThat(originalRows()).isEqualTo(interrupted);
        assertThat(historyStatus(migration.id())).isEqualTo("in_progress");
        assertThat(archivedRowCount()).isEqualTo(900);

        Fixture.execute(dataSource, "DROP TABLE online_notes");
        assertMigratedAsIfNeverInterrupted(safeMigrate().migrate(List.of(migration)));
    }

    /** A definition this version cannot read (as a later version could write it): recover reverses the run, naming the version. */
    @Test
    void recoverReversesARunWhoseDefinitionItCannotRead() throws Exception {
        seed(SMALL_ROWS);
        State before = originalRows();
        Migration migration = inChunksOf300();
        interrupt(crashingAfterChunk(2), migration);
        Fixture.execute(dataSource, "UPDATE safemigrate_journal SET statement = REPLACE(statement, '\"version\":1', '\"version\":2')"
                + " WHERE object_name = 'online_definition'");

        List<String> recovered = safeMigrate().recover();

        assertThat(recovered).singleElement().asString().contains("recover could not finish it: the journaled definition of the online run"
                + " of online_001_items is of version 2").contains("recover reversed it from the archive (900 row(s) and value(s) restored, in ");
        assertReversedAsBefore(before, migration);
    }

    /**
     * Recover reverses a run planning now refuses, but a row a writer inserted since holds the primary key of a loser it
     * would put back: it stops before putting anything back (exit 5, saying why and that recover goes on), and once the
     * row is removed the next recover puts everything back.
     */
    @Test
    void recoverStopsAReversalBlockedByATakenPrimaryKeyUntilTheRowIsGone() throws Exception {
        seed(SMALL_ROWS);
        State before = originalRows();
        Migration migration = inChunksOf300();
        interrupt(crashingAfterChunk(2), migration);
        Fixture.execute(dataSource, "CREATE TABLE online_notes (id BIGINT NOT NULL PRIMARY KEY, item_id BIGINT,"
                + " CONSTRAINT fk_notes_item FOREIGN KEY (item_id) REFERENCES online_items (id))");
        String itemsArchive = archiveTables().stream().filter(t -> t.toLowerCase(java.util.Locale.ROOT).endsWith("_online_items")).findFirst().orElseThrow();
        long taken = count("SELECT MIN(id) FROM " + itemsArchive);
        Fixture.execute(dataSource, "INSERT INTO online_items (id, grp, k, payload) VALUES (" + taken + ", 5000, 1, 'took a loser''s id')");

        SafeMigrateException stuck = failure(ExitCode.INTERMEDIATE, () -> safeMigrate().recover());

        assertThat(stuck.getMessage()).contains("putting the data back from the archive failed").contains("(" + taken + ")")
                .doesNotContain("as it was before");
        assertThat(historyStatus(migration.id())).isEqualTo("in_progress");
        Fixture.execute(dataSource, "DELETE FROM online_items WHERE id = " + taken);

        assertThat(safeMigrate().recover()).singleElement().asString().contains("recover reversed it from the archive");
        assertReversedAsBefore(before, migration);
    }
}
