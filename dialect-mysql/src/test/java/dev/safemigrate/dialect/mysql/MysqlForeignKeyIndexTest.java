package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.StatementHook;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The index a foreign key needs, when undo drops a unique key that InnoDB let take over the key's own index
 * (see {@link ForeignKeyIndexes}): given back under the key's name, or under a free one, or not at all when an
 * index the user added since serves the key.
 */
class MysqlForeignKeyIndexTest extends KitSupport {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @BeforeEach
    void migrateSlots() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE member (id INTEGER NOT NULL PRIMARY KEY)",
                "CREATE TABLE badge (id INTEGER NOT NULL PRIMARY KEY, member_id INTEGER NOT NULL, slot INTEGER NOT NULL,"
                        + " CONSTRAINT fk_badge_member FOREIGN KEY (member_id) REFERENCES member (id))",
                "INSERT INTO member (id) VALUES (1), (2)", "INSERT INTO badge (id, member_id, slot) VALUES (1, 1, 1), (2, 2, 1), (3, 2, 2)");
        assertThat(indexes()).containsExactly("PRIMARY (id)", "fk_badge_member (member_id)");
        safeMigrate().migrate(List.of(migration("my_slots", new AddUniqueStep(TableName.parse("badge"), "uq_badge_member_slot",
                List.of("member_id", "slot"), null))));
        assertThat(indexes()).as("InnoDB dropped the key's own index").containsExactly("PRIMARY (id)", "uq_badge_member_slot (member_id,slot)");
    }

    private List<String> indexes() throws Exception {
        return Fixture.query(dataSource, "SELECT CONCAT(index_name, ' (', GROUP_CONCAT(column_name ORDER BY seq_in_index), ')') AS idx"
                + " FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'badge'"
                + " GROUP BY index_name ORDER BY index_name <> 'PRIMARY', index_name").stream().map(r -> (String) r.get("idx")).toList();
    }

    @Test
    void undoGivesTheForeignKeyItsIndexBackUnderItsName() throws Exception {
        safeMigrate().undo("my_slots");

        assertThat(indexes()).containsExactly("PRIMARY (id)", "fk_badge_member (member_id)");
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM badge")).isEqualTo(3);
    }

    @Test
    void undoAddsNoIndexWhenOneTheUserAddedServesTheForeignKey() throws Exception {
        Fixture.execute(dataSource, "CREATE INDEX ix_badge_member ON badge (member_id)");

        safeMigrate().undo("my_slots");

        assertThat(indexes()).containsExactly("PRIMARY (id)", "ix_badge_member (member_id)");
    }

    @Test
    void undoNamesTheIndexAfterTheForeignKeyWithASuffixWhenItsNameIsTaken() throws Exception {
        Fixture.execute(dataSource, "CREATE INDEX fk_badge_member ON badge (slot)", "CREATE INDEX fk_badge_member_1 ON badge (slot, id)");

        safeMigrate().undo("my_slots");

        assertThat(indexes()).containsExactly("PRIMARY (id)", "fk_badge_member (slot)", "fk_badge_member_1 (slot,id)", "fk_badge_member_2 (member_id)");
    }

    /** A wider foreign key's index that leads with member_id serves fk_badge_member too: nothing is added, and the drop succeeds. */
    @Test
    void undoAddsNoIndexWhenAWiderForeignKeysIndexServesTheForeignKey() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE slot_owner (member_id INTEGER NOT NULL, slot INTEGER NOT NULL, id INTEGER NOT NULL,"
                        + " PRIMARY KEY (member_id, slot, id))",
                "INSERT INTO slot_owner SELECT member_id, slot, id FROM badge",
                "ALTER TABLE badge ADD CONSTRAINT fk_badge_owner FOREIGN KEY (member_id, slot, id) REFERENCES slot_owner (member_id, slot, id)");
        assertThat(indexes()).containsExactly("PRIMARY (id)", "fk_badge_owner (member_id,slot,id)", "uq_badge_member_slot (member_id,slot)");

        safeMigrate().undo("my_slots");

        assertThat(indexes()).containsExactly("PRIMARY (id)", "fk_badge_owner (member_id,slot,id)");
        assertThat(historyStatus("my_slots")).isEqualTo("undone");
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM badge")).isEqualTo(3);
    }

    /** The index and the drop are two statements, each committed: an undo that fails between them is repeated without adding another. */
    @Test
    void undoRepeatedAfterFailingBetweenTheIndexAndTheDropAddsNoSecondIndex() throws Exception {
        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(StatementHook.failing("ALTER TABLE `badge` DROP INDEX")).undo("my_slots"))
                .getMessage();

        assertThat(message).contains("injected failure");
        assertThat(indexes()).containsExactly("PRIMARY (id)", "fk_badge_member (member_id)", "uq_badge_member_slot (member_id,slot)");
        safeMigrate().undo("my_slots");
        assertThat(indexes()).containsExactly("PRIMARY (id)", "fk_badge_member (member_id)");
        assertThat(historyStatus("my_slots")).isEqualTo("undone");
    }
}
