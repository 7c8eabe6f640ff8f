package dev.safemigrate.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** H2 has no session lock, so the migration lock is a row of safemigrate_lock ({@link H2LockRow}). */
class H2LockRowTest extends KitSupport {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }

    /** A table of the user's under the lock table's name: the lock cannot be taken, so the run stops before it changes anything. */
    @Test
    void aTableOfAnotherShapeUnderTheLockTablesNameStopsTheRunBeforeAnyChange() throws Exception {
        Fixture.seed(dataSource);
        Fixture.execute(dataSource, "CREATE TABLE safemigrate_lock (name VARCHAR(10))", "INSERT INTO safemigrate_lock (name) VALUES ('mine')");
        List<Map<String, Object>> before = invariants();

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(exampleMigration()))).getMessage();

        assertThat(message).contains("Column \"ID\" not found").contains("safemigrate_lock");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
        assertThat(Fixture.query(dataSource, "SELECT name FROM safemigrate_lock")).extracting(r -> r.get("name")).containsExactly("mine");
    }
}
