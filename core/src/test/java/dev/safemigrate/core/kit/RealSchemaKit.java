package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Schema shapes the example fixture does not have, each a regression test named after what broke:
 * self-referencing keys, generated and identity columns, join tables whose primary key holds the
 * repointed column, and repoint columns that belong to another table's key. Every reversal and undo is
 * checked row by row against the state before the run.
 */
public abstract class RealSchemaKit extends KitSupport {
    private static final int PEOPLE = 100;

    private Flavor flavor() throws Exception {
        return Flavor.of(dataSource);
    }

    private static DedupeStep dedupe(String table, List<String> key, Repoint... repoint) {
        return new DedupeStep(TableName.parse(table), key, List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true, List.of(repoint));
    }

    private static AddUniqueStep unique(String table, String name, String... columns) {
        return new AddUniqueStep(TableName.parse(table), name, List.of(columns), null);
    }

    private List<Object> state(String... tables) throws Exception {
        List<Object> state = new ArrayList<>();
        for (String table : tables) {
            state.add(Fixture.rows(dataSource, table, orderOf(table)));
        }
        state.add(archiveTables());
        return state;
    }

    private static String orderOf(String table) {
        return table.equals("hide") ? "member_id, post_id" : "id";
    }

    /** 100 people: ids 51..100 repeat the (name, instance_id) of id - 50; each points at the one before, so losers point at losers. */
    private void seedPeople() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE person (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, instance_id INTEGER NOT NULL,"
                + " parent_id INTEGER NULL, CONSTRAINT fk_person_parent FOREIGN KEY (parent_id) REFERENCES person (id))");
        List<String> inserts = new ArrayList<>();
        for (int id = 1; id <= PEOPLE; id++) {
            int key = id > PEOPLE / 2 ? id - PEOPLE / 2 : id;
            inserts.add("INSERT INTO person (id, name, instance_id, parent_id) VALUES (" + id + ", 'p" + key + "', " + key % 5 + ", "
                    + (id == 1 ? "NULL" : String.valueOf(id - 1)) + ")");
        }
        Fixture.execute(dataSource, inserts.toArray(String[]::new));
    }

    /**
     * {@link #seedPeople}, with losers in reference cycles: 60 and 61 point at each other, 70 at itself, 80 -> 82 -> 81 -> 80,
     * and the losers after them (62-69, 71-79, 83-100) descend from a cycle; survivor 5 points at loser 75. Where the database
     * checks a foreign key row by row, no order of inserts puts a cycle back.
     */
    private void seedPeopleInCycles() throws Exception {
        seedPeople();
        Fixture.execute(dataSource, "UPDATE person SET parent_id = 61 WHERE id = 60", "UPDATE person SET parent_id = 70 WHERE id = 70",
                "UPDATE person SET parent_id = 82 WHERE id = 80", "UPDATE person SET parent_id = 75 WHERE id = 5");
    }

    private static Migration personMigration(String id, AddUniqueStep unique) {
        return migration(id, dedupe("person", List.of("name", "instance_id"), new Repoint(TableName.parse("person"), "parent_id",
                Repoint.OnConflict.FAIL)), unique);
    }

    /** A DDL step that fails after the data changes were committed: the reversal must put back rows that point at each other. */
    @Test
    void selfReferencingRowsAreRestoredWhenALaterStepFails() throws Exception {
        seedPeople();
        List<Object> before = state("person");
        Migration failing = personMigration("kit_people_fail", unique("person", "uq_person_instance", "instance_id"));

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(failing))).getMessage();

        assertThat(message).contains("person (instance_id)").doesNotContain("recover").doesNotContain("in_progress");
        assertThat(state("person")).isEqualTo(before);
        assertThat(historyStatus("kit_people_fail")).isEqualTo("rolled_back");
        assertThat(safeMigrate().recover()).isEmpty();
    }

    @Test
    void selfReferencingRowsAreRestoredByUndo() throws Exception {
        seedPeople();
        List<Object> before = state("person");
        Migration migration = personMigration("kit_people", unique("person", "uq_person_name_instance", "name", "instance_id"));

        safeMigrate().migrate(List.of(migration));
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM person")).isEqualTo(PEOPLE / 2);
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM person WHERE parent_id > " + PEOPLE / 2)).isZero();
        safeMigrate().undo("kit_people");

        assertThat(state("person")).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, "uq_person_name_instance")).isFalse();
    }

    @Test
    void rowsInAReferenceCycleAreRestoredWhenALaterStepFails() throws Exception {
        seedPeopleInCycles();
        List<Object> before = state("person");

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(personMigration("kit_cycles_fail",
                unique("person", "uq_person_instance", "instance_id"))))).getMessage();

        assertThat(message).contains("person (instance_id)").doesNotContain("recover");
        assertThat(state("person")).isEqualTo(before);
        assertThat(historyStatus("kit_cycles_fail")).isEqualTo("rolled_back");
    }

    @Test
    void rowsInAReferenceCycleAreRestoredByUndo() throws Exception {
        seedPeopleInCycles();
        List<Object> before = state("person");
        safeMigrate().migrate(List.of(personMigration("kit_cycles", unique("person", "uq_person_name_instance", "name", "instance_id"))));
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM person WHERE parent_id > " + PEOPLE / 2)).isZero();

        safeMigrate().undo("kit_cycles");

        assertThat(state("person")).isEqualTo(before);
        assertThat(historyStatus("kit_cycles")).isEqualTo("undone");
    }

    private void seedGadgets() throws Exception {
        Flavor flavor = flavor();
        Fixture.execute(dataSource, "CREATE TABLE gadget (" + flavor.identityAlways("id") + ", name VARCHAR(50) NOT NULL, qty INTEGER NOT NULL, "
                + flavor.generatedStored("doubled", "INTEGER", "qty * 2") + ", PRIMARY KEY (id))");
        List<String> inserts = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            inserts.add("INSERT INTO gadget (name, qty) VALUES ('g" + (i % 20) + "', " + i % 4 + ")");
        }
        Fixture.execute(dataSource, inserts.toArray(String[]::new));
    }

    @Test
    void generatedAndIdentityColumnsAreRestoredByUndo() throws Exception {
        seedGadgets();
        List<Object> before = state("gadget");
        Migration migration = migration("kit_gadgets", dedupe("gadget", List.of("name")), unique("gadget", "uq_gadget_name", "name"));

        safeMigrate().migrate(List.of(migration));
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM gadget")).isEqualTo(20);
        safeMigrate().undo("kit_gadgets");

        assertThat(state("gadget")).isEqualTo(before);
    }

    @Test
    void generatedAndIdentityColumnsAreRestoredWhenALaterStepFails() throws Exception {
        seedGadgets();
        List<Object> before = state("gadget");
        Migration failing = migration("kit_gadgets_fail", dedupe("gadget", List.of("name")), unique("gadget", "uq_gadget_qty", "qty"));

        failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(failing)));

        assertThat(state("gadget")).isEqualTo(before);
        assertThat(historyStatus("kit_gadgets_fail")).isEqualTo("rolled_back");
    }

    /**
     * Members 11..15 repeat the names of 1..5. hide(member_id, post_id) is keyed by both columns: (11, 1) would
     * become (1, 1) and (12, 3) would become (2, 3), which exist; (11, 2) can move.
     */
    private void seedJoinTable() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE member (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL)",
                "CREATE TABLE post (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(50) NOT NULL)",
                "CREATE TABLE hide (member_id INTEGER NOT NULL, post_id INTEGER NOT NULL, note VARCHAR(20), PRIMARY KEY (member_id, post_id),"
                        + " CONSTRAINT fk_hide_member FOREIGN KEY (member_id) REFERENCES member (id),"
                        + " CONSTRAINT fk_hide_post FOREIGN KEY (post_id) REFERENCES post (id))");
        List<String> inserts = new ArrayList<>();
        for (int id = 1; id <= 15; id++) {
            inserts.add("INSERT INTO member (id, name) VALUES (" + id + ", 'm" + (id > 10 ? id - 10 : id) + "')");
            inserts.add("INSERT INTO post (id, title) VALUES (" + id + ", 't" + id + "')");
        }
        for (String row : List.of("1, 1, 'a'", "11, 1, 'b'", "11, 2, 'c'", "12, 3, 'd'", "2, 3, NULL", "3, 4, 'e'")) {
            inserts.add("INSERT INTO hide (member_id, post_id, note) VALUES (" + row + ")");
        }
        Fixture.execute(dataSource, inserts.toArray(String[]::new));
    }

    private static Migration memberMigration(String id, Repoint.OnConflict onConflict) {
        return migration(id, dedupe("member", List.of("name"), new Repoint(TableName.parse("hide"), "member_id", onConflict)),
                unique("member", "uq_member_name", "name"));
    }

    @Test
    void joinTableKeyClashIsRefusedBeforeAnyChange() throws Exception {
        seedJoinTable();
        List<Object> before = state("member", "hide");
        Migration migration = memberMigration("kit_hide_fail", Repoint.OnConflict.FAIL);

        String planned = failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(migration))).getMessage().toLowerCase();
        String migrated = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration))).getMessage().toLowerCase();

        assertThat(planned).contains("hide").contains("2 row(s)").contains("on_conflict: delete");
        assertThat(migrated).isEqualTo(planned);
        assertThat(state("member", "hide")).isEqualTo(before);
        assertThat(historyStatus("kit_hide_fail")).isNull();
    }

    @Test
    void joinTableKeyClashIsDeletedArchivedAndUndone() throws Exception {
        seedJoinTable();
        List<Object> before = state("member", "hide");
        Migration migration = memberMigration("kit_hide", Repoint.OnConflict.DELETE);

        MigrationPlan plan = safeMigrate().plan(List.of(migration));
        assertThat(plan.migrations().get(0).steps().get(0).estimate().rowsToDelete()).isEqualTo(5 + 2);
        assertThat(plan.migrations().get(0).steps().get(0).estimate().rowsToUpdate()).isEqualTo(1);
        safeMigrate().migrate(List.of(migration));

        assertThat(Fixture.rows(dataSource, "hide", "member_id, post_id")).extracting(r -> List.of(num(r, "member_id"), num(r, "post_id")))
                .containsExactly(List.of(1L, 1L), List.of(1L, 2L), List.of(2L, 3L), List.of(3L, 4L));
        safeMigrate().undo("kit_hide");
        assertThat(state("member", "hide")).isEqualTo(before);
    }

    private void seedBadges() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE member (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL)",
                "CREATE TABLE badge (id INTEGER NOT NULL PRIMARY KEY, member_id INTEGER NOT NULL, slot INTEGER NOT NULL,"
                        + " CONSTRAINT fk_badge_member FOREIGN KEY (member_id) REFERENCES member (id))",
                "INSERT INTO member (id, name) VALUES (1, 'm1'), (2, 'm2'), (11, 'm1')",
                "INSERT INTO badge (id, member_id, slot) VALUES (1, 1, 1), (2, 11, 1), (3, 2, 1), (4, 2, 2)");
    }

    /**
     * Found by the schema fuzzer on MySQL/MariaDB: a unique key led by a foreign key's column takes over the
     * index InnoDB made for the foreign key and drops it, so dropping the unique key again fails ("needed in a foreign
     * key constraint"): a later failing step left the run stuck (exit 5), and undo could not run.
     */
    @Test
    void aUniqueKeyLedByAForeignKeysColumnIsDroppedByTheReversalAndByUndo() throws Exception {
        seedBadges();
        List<Object> before = state("member", "badge");
        AddUniqueStep slots = unique("badge", "uq_badge_member_slot", "member_id", "slot");

        failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(migration("kit_slots_fail", slots, unique("badge", "uq_badge_slot", "slot")))));
        assertThat(state("member", "badge")).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, "uq_badge_member_slot")).isFalse();

        safeMigrate().migrate(List.of(migration("kit_slots", slots)));
        safeMigrate().undo("kit_slots");
        assertThat(state("member", "badge")).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, "uq_badge_member_slot")).isFalse();
    }

    /**
     * Found by the schema fuzzer: plan counts a later dedupe on the data as it is, not as the earlier step of the same
     * migration leaves it (plan changes nothing). Repointing badge 2 from member 11 to member 1 makes it repeat badge 1's
     * (member_id, slot), which the second step deletes: migrate deletes 1 row there, and plan says its count can differ.
     */
    @Test
    void planSaysALaterStepIsCountedBeforeAnEarlierStepOfTheMigrationWritesItsTable() throws Exception {
        seedBadges();
        Migration migration = migration("kit_later_step", dedupe("member", List.of("name"), new Repoint(TableName.parse("badge"), "member_id",
                Repoint.OnConflict.FAIL)), dedupe("badge", List.of("member_id", "slot")), unique("member", "uq_member_name", "name"));

        StepEstimate planned = safeMigrate().plan(List.of(migration)).migrations().get(0).steps().get(1).estimate();
        StepOutcome done = safeMigrate().migrate(List.of(migration)).migrations().get(0).steps().get(1).outcome();

        assertThat(done.deleted()).isEqualTo(1);
        assertThat(planned.notes()).anySatisfy(n -> assertThat(n).contains("counted on the data as it is now").contains("dedupe member")
                .contains("badge"));
    }

    /**
     * Found by the schema fuzzer: on MySQL/MariaDB the reversal of a run that deleted clashing join-table rows, run
     * under the run's table locks, read an archive of the join table under an alias it had not locked ("was not locked
     * with LOCK TABLES"), so a later failing step left the run stuck (exit 5) instead of reversed.
     */
    @Test
    void joinTableRowsAreRestoredWhenALaterStepFails() throws Exception {
        seedJoinTable();
        List<Object> before = state("member", "hide");
        Migration failing = migration("kit_hide_later_fail", dedupe("member", List.of("name"), new Repoint(TableName.parse("hide"), "member_id",
                Repoint.OnConflict.DELETE)), unique("member", "uq_member_name", "name"), unique("hide", "uq_hide_member", "member_id"));

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(failing))).getMessage();

        assertThat(message).contains("hide (member_id)").doesNotContain("recover");
        assertThat(state("member", "hide")).isEqualTo(before);
        assertThat(historyStatus("kit_hide_later_fail")).isEqualTo("rolled_back");
    }

    /** A child row that would clash on two unique keys at once is archived once, and plan counts it once, as migrate does. */
    @Test
    void aChildRowClashingOnTwoUniqueKeysIsCountedOnceByPlanAndMigrate() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE member (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL)");
        for (int id = 1; id <= 15; id++) {
            Fixture.execute(dataSource, "INSERT INTO member (id, name) VALUES (" + id + ", 'm" + (id > 10 ? id - 10 : id) + "')");
        }
        Fixture.execute(dataSource, "CREATE TABLE badge (id INTEGER NOT NULL PRIMARY KEY, member_id INTEGER NOT NULL, kind VARCHAR(10) NOT NULL,"
                        + " slot INTEGER NOT NULL, CONSTRAINT uq_badge_kind UNIQUE (member_id, kind), CONSTRAINT uq_badge_slot UNIQUE (member_id, slot),"
                        + " CONSTRAINT fk_badge_member FOREIGN KEY (member_id) REFERENCES member (id))",
                "INSERT INTO badge (id, member_id, kind, slot) VALUES (1, 1, 'x', 1), (2, 11, 'x', 1), (3, 11, 'y', 2), (4, 12, 'x', 1)");
        List<Object> before = state("member", "badge");
        Migration migration = migration("kit_badge", dedupe("member", List.of("name"),
                new Repoint(TableName.parse("badge"), "member_id", Repoint.OnConflict.DELETE)), unique("member", "uq_member_name", "name"));

        StepEstimate planned = safeMigrate().plan(List.of(migration)).migrations().get(0).steps().get(0).estimate();
        StepOutcome done = safeMigrate().migrate(List.of(migration)).migrations().get(0).steps().get(0).outcome();

        assertThat(List.of(planned.rowsToDelete(), planned.rowsToUpdate())).as("plan").containsExactly(5L + 1, 2L);
        assertThat(List.of(done.deleted(), done.updated())).as("migrate").containsExactly(5L + 1, 2L);
        assertThat(Fixture.rows(dataSource, "badge", "id")).extracting(r -> List.of(num(r, "id"), num(r, "member_id")))
                .containsExactly(List.of(1L, 1L), List.of(3L, 1L), List.of(4L, 2L));
        safeMigrate().undo("kit_badge");
        assertThat(state("member", "badge")).isEqualTo(before);
    }

    private static long num(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    /** book.tag_id references tag: listing it under a dedupe of author would rewrite tag ids into author ids. */
    @Test
    void repointColumnOfAnotherTablesForeignKeyIsRefused() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE author (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL)",
                "CREATE TABLE tag (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(50) NOT NULL)",
                "CREATE TABLE book (id INTEGER NOT NULL PRIMARY KEY, author_id INTEGER NOT NULL, tag_id INTEGER,"
                        + " CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (id),"
                        + " CONSTRAINT fk_book_tag FOREIGN KEY (tag_id) REFERENCES tag (id))",
                "INSERT INTO author (id, name) VALUES (1, 'a'), (2, 'a')", "INSERT INTO tag (id, label) VALUES (1, 'x'), (2, 'y')",
                "INSERT INTO book (id, author_id, tag_id) VALUES (1, 2, 2)");
        List<Object> before = state("author", "tag", "book");
        Migration migration = migration("kit_wrong_repoint", dedupe("author", List.of("name"),
                new Repoint(TableName.parse("book"), "author_id", Repoint.OnConflict.FAIL),
                new Repoint(TableName.parse("book"), "tag_id", Repoint.OnConflict.FAIL)));

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration))).getMessage().toLowerCase();

        assertThat(message).contains("fk_book_tag").contains("tag_id").contains("references tag");
        assertThat(state("author", "tag", "book")).isEqualTo(before);
    }
}
