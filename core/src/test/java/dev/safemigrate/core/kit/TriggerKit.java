package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.UndoReport;
import dev.safemigrate.core.model.AllowedTrigger;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Triggers that fire on the rows a run changes: refused before any change, naming each, unless the rules
 * allow them; when allowed, no message claims their effects were put back.
 */
public abstract class TriggerKit extends KitSupport {
    private static final String EFFECT = "deletes the notes of a deleted author";

    /** Authors 6..10 repeat the names of 1..5; every author has a note, and books point at authors. */
    @BeforeEach
    void seed() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE author (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, born INTEGER NOT NULL)",
                "CREATE TABLE author_note (id INTEGER NOT NULL PRIMARY KEY, author_id INTEGER NOT NULL, text VARCHAR(50))",
                "CREATE TABLE book (id INTEGER NOT NULL PRIMARY KEY, author_id INTEGER NOT NULL, version INTEGER NOT NULL,"
                        + " CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (id))");
        List<String> inserts = new ArrayList<>();
        for (int id = 1; id <= 10; id++) {
            inserts.add("INSERT INTO author (id, name, born) VALUES (" + id + ", 'a" + (id > 5 ? id - 5 : id) + "', 1900)");
            inserts.add("INSERT INTO author_note (id, author_id, text) VALUES (" + id + ", " + id + ", 'note " + id + "')");
            inserts.add("INSERT INTO book (id, author_id, version) VALUES (" + id + ", " + id + ", 1)");
        }
        Fixture.execute(dataSource, inserts.toArray(String[]::new));
    }

    private List<Object> state() throws Exception {
        return List.of(Fixture.rows(dataSource, "author", "id"), Fixture.rows(dataSource, "author_note", "id"),
                Fixture.rows(dataSource, "book", "id"), archiveTables());
    }

    private static DedupeStep dedupeAuthors() {
        return new DedupeStep(TableName.parse("author"), List.of("name"), List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true,
                List.of(new Repoint(TableName.parse("book"), "author_id", Repoint.OnConflict.FAIL)));
    }

    private static AddUniqueStep unique(String column) {
        return new AddUniqueStep(TableName.parse("author"), "uq_author_" + column, List.of(column), null);
    }

    @Test
    void triggerDeletingOtherRowsRefusesTheRunNamingIt() throws Exception {
        Fixture.execute(dataSource, Flavor.of(dataSource).afterDeleteCascade("author_cleanup", "author", "author_note", "author_id")
                .toArray(String[]::new));
        List<Object> before = state();
        Migration migration = migration("kit_trigger", dedupeAuthors(), unique("name"));

        String planned = failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(migration))).getMessage().toLowerCase();
        String migrated = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration))).getMessage().toLowerCase();

        assertThat(planned).contains("author_cleanup").contains("delete").contains("allow_triggers");
        assertThat(migrated).isEqualTo(planned);
        assertThat(state()).isEqualTo(before);
        assertThat(historyStatus("kit_trigger")).isNull();
    }

    @Test
    void triggerChangingRepointedRowsRefusesTheRun() throws Exception {
        Fixture.execute(dataSource, Flavor.of(dataSource).beforeUpdateBump("book_touch", "book").toArray(String[]::new));
        List<Object> before = state();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration("kit_touch", dedupeAuthors(), unique("name")))))
                .getMessage().toLowerCase();

        assertThat(message).contains("book_touch").contains("update");
        assertThat(state()).isEqualTo(before);
    }

    /**
     * Allowed, the trigger fires; a failed run reversed from the archive says what it did is not put back.
     * PostgreSQL rolls the trigger's deletes back with the run's one transaction, and then says nothing of it.
     */
    @Test
    void allowedTriggerIsNeverClaimedPutBack() throws Exception {
        Fixture.execute(dataSource, Flavor.of(dataSource).afterDeleteCascade("author_cleanup", "author", "author_note", "author_id")
                .toArray(String[]::new));
        List<Object> before = state();
        List<AllowedTrigger> allowed = List.of(new AllowedTrigger("author_cleanup", Optional.empty(), EFFECT));

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(
                migration("kit_allowed_fail", allowed, dedupeAuthors(), unique("born"))))).getMessage();

        assertThat(Fixture.rows(dataSource, "author", "id")).isEqualTo(before.get(0));
        assertThat(Fixture.rows(dataSource, "book", "id")).isEqualTo(before.get(2));
        long notes = Fixture.count(dataSource, "SELECT COUNT(*) FROM author_note");
        if (notes == 10) {
            assertThat(message).doesNotContain("Not put back");
        } else {
            assertThat(notes).isEqualTo(5);
            assertThat(message).contains("Not put back").containsIgnoringCase("author_cleanup").contains(EFFECT);
        }

        safeMigrate().migrate(List.of(migration("kit_allowed", allowed, dedupeAuthors(), unique("name"))));
        UndoReport undo = safeMigrate().undo("kit_allowed");
        assertThat(Fixture.rows(dataSource, "author", "id")).isEqualTo(before.get(0));
        assertThat(undo.notes()).singleElement().satisfies(n -> assertThat(n).containsIgnoringCase("author_cleanup").contains(EFFECT));
    }
}
