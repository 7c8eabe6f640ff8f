package dev.safemigrate.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** H2 has no session lock, so the migration lock is a row of safemigrate_lock ({@link H2LockRow}). */
class H2LockRowTest extends KitSupport {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }

    /**
     * A table of the user's under the lock table's name ended the run with H2's raw "Column \"ID\" not found" (exit 1):
     * now it is refused before any change (exit 3), naming the table, its columns and what to do, and it is left as it was.
     */
    @Test
    void aUserTableUnderTheLockTablesNameIsRefusedSayingTheNameIsTakenInsteadOfARawSqlError() throws Exception {
        Fixture.seed(dataSource);
        Fixture.execute(dataSource, "CREATE TABLE safemigrate_lock (name VARCHAR(10))", "INSERT INTO safemigrate_lock (name) VALUES ('mine')");
        List<Map<String, Object>> before = invariants();
        List<String> tables = Fixture.tables(dataSource);

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(exampleMigration()))).getMessage();

        assertThat(message).contains("the table SAFEMIGRATE_LOCK is not safemigrate's").contains("its run lock")
                .contains("with the columns id, owner, acquired_at, and this one has NAME (no id, owner, acquired_at)")
                .contains("Nothing was changed; rename that table").doesNotContain("Column \"ID\" not found");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
        assertThat(Fixture.tables(dataSource)).containsExactlyInAnyOrderElementsOf(tables);
        assertThat(Fixture.query(dataSource, "SELECT * FROM safemigrate_lock")).singleElement().satisfies(r -> assertThat(r).containsExactly(
                Map.entry("name", "mine")));
    }

    /** A run on a thread with a long name (an application's executor) failed: its lock owner overflowed the lock table's column. */
    @Test
    void aRunOnAThreadWithALongNameTakesTheLockInsteadOfOverflowingItsOwnerColumn() throws Exception {
        Fixture.seed(dataSource);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.set(safeMigrate().migrate(List.of(exampleMigration())).migrations().get(0).outcome());
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        }, "worker-of-a-pool-whose-name-says-a-lot-".repeat(6));
        thread.start();
        thread.join(60_000);

        assertThat(outcome.get()).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
    }
}
