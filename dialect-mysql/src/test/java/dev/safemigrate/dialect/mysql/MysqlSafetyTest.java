package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.SafetyKit;
import dev.safemigrate.core.kit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MysqlSafetyTest extends SafetyKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    /** Index and constraint names share one namespace per table: a plain index of the name, even on the very columns, is refused by name. */
    @Test
    void constraintNameTakenByANonUniqueIndexOnTheSameColumns() throws Exception {
        Fixture.execute(dataSource, "CREATE INDEX " + UNIQUE_NAME + " ON action_invariants (action_name, position)");
        List<Map<String, Object>> before = invariants();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(exampleMigration()))).getMessage();

        assertThat(message).contains("the name " + UNIQUE_NAME + " is already used by a non-unique index on action_invariants (action_name, position); choose another name");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
    }
}
