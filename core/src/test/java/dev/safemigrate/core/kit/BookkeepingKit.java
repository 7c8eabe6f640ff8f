package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.model.Expectation;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.steps.AddUniqueStep;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history and journal record whatever they must, however long: bookkeeping never fails for the size of what it records. */
public abstract class BookkeepingKit extends KitSupport {
    private static final int COLUMNS = 24;

    @Test
    void longDescriptionAndTwentyFourStepsAreRecorded() throws Exception {
        StringBuilder columns = new StringBuilder("id INTEGER NOT NULL PRIMARY KEY");
        List<Step> steps = new ArrayList<>();
        for (int c = 1; c <= COLUMNS; c++) {
            columns.append(", c").append(c).append(" INTEGER");
            steps.add(new AddUniqueStep(TableName.parse("wide"), "uq_wide_c" + c, List.of("c" + c), null));
        }
        Fixture.execute(dataSource, "CREATE TABLE wide (" + columns + ")", "INSERT INTO wide (id) VALUES (1)");
        Migration plain = migration("kit_wide", steps.toArray(Step[]::new));
        String description = "d".repeat(3000);
        Migration migration = new Migration(plain.id(), description, plain.checksum(), plain.source(), plain.guards(), plain.steps(),
                List.of(), List.of());

        safeMigrate().migrate(List.of(migration));

        HistoryEntry entry = safeMigrate().status(List.of()).history().get(0);
        assertThat(entry.status().value()).isEqualTo("applied");
        assertThat(entry.description()).isEqualTo(description);
        assertThat(entry.stepCounts()).contains("uq_wide_c24").contains("uq_wide_c1 ");
        assertThat(Fixture.constraintExists(dataSource, "uq_wide_c24")).isTrue();
    }

    /** Undo refuses while a later run changed its tables, so two runs within one second must keep their order. */
    @Test
    void runsWithinOneSecondKeepTheirOrderInTheHistory() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE pair (id INTEGER NOT NULL PRIMARY KEY, a INTEGER, b INTEGER)");

        safeMigrate().migrate(List.of(migration("kit_first", new AddUniqueStep(TableName.parse("pair"), "uq_pair_a", List.of("a"), null))));
        safeMigrate().migrate(List.of(migration("kit_second", new AddUniqueStep(TableName.parse("pair"), "uq_pair_b", List.of("b"), null))));

        List<HistoryEntry> history = safeMigrate().status(List.of()).history();
        assertThat(history).extracting(HistoryEntry::id).containsExactly("kit_first", "kit_second");
        assertThat(history.get(1).startedAt()).isAfter(history.get(0).finishedAt());
    }

    @Test
    void longFailureMessageIsRecordedAndTheRunRolledBack() throws Exception {
        Fixture.seed(dataSource);
        List<Object> before = List.of(invariants(), checks());
        String longLiteral = "x".repeat(5000);
        SqlCheck post = new SqlCheck("SELECT COUNT(*) FROM action_invariants WHERE note <> '" + longLiteral + "'", Expectation.exactly(0), "kit:9:1");
        Migration migration = migration("kit_long_message", Guards.DEFAULT, List.of(), List.of(post),
                dedupeInvariants(dev.safemigrate.core.steps.Repoint.OnConflict.FAIL), uniqueInvariants());

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(migration))).getMessage();

        assertThat(message).contains(longLiteral);
        assertThat(List.of(invariants(), checks())).isEqualTo(before);
        HistoryEntry entry = safeMigrate().status(List.of()).history().get(0);
        assertThat(entry.status().value()).isEqualTo("rolled_back");
        assertThat(entry.message()).contains(longLiteral);
    }

    /**
     * A user's tables named as safemigrate's history and journal (made with CREATE TABLE IF NOT EXISTS, so they were kept
     * and then read and written as safemigrate's: "column checksum does not exist", with the journal created beside the
     * user's history): every command refuses before any change, naming the table and what to do.
     */
    @Test
    void aUsersTableUnderTheHistoryOrJournalNameIsRefusedByEveryCommandBeforeAnyChange() throws Exception {
        Fixture.seed(dataSource);
        List<Object> before = List.of(invariants(), checks());
        for (String table : List.of("safemigrate_history", "safemigrate_journal")) {
            Fixture.execute(dataSource, "CREATE TABLE " + table + " (id INTEGER NOT NULL PRIMARY KEY, note VARCHAR(20))",
                    "INSERT INTO " + table + " (id, note) VALUES (1, 'mine')");
            Migration migration = exampleMigration();
            List<Runnable> commands = List.of(() -> safeMigrate().migrate(List.of(migration)), () -> safeMigrate().plan(List.of(migration)),
                    () -> safeMigrate().status(List.of(migration)), () -> safeMigrate().recover(), () -> safeMigrate().undo(migration.id()),
                    () -> safeMigrate().verify(List.of(migration)));
            for (Runnable command : commands) {
                assertThat(failure(ExitCode.REFUSED, command).getMessage()).containsIgnoringCase("the table " + table + " is not safemigrate's")
                        .contains("(no ").contains("Nothing was changed");
            }
            assertThat(Fixture.query(dataSource, "SELECT id, note FROM " + table)).singleElement().asString().contains("mine");
            assertThat(Fixture.tables(dataSource)).as("nothing created beside it").doesNotContain(table.equals("safemigrate_history")
                    ? "safemigrate_journal" : "safemigrate_history");
            assertThat(archiveTables()).isEmpty();
            assertThat(List.of(invariants(), checks())).isEqualTo(before);
            Fixture.execute(dataSource, "DROP TABLE " + table);
        }
    }
}
