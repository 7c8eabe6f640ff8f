package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.DedupeStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code strategy: shadow_swap} is refused before any change until the MySQL dialect supports it:
 * MariaDB rejects {@code RENAME TABLE} under {@code LOCK TABLES} (error 1192), so the swap needs a
 * cut-over that keeps writers out some other way.
 */
class MysqlShadowSwapRefusalTest extends KitSupport {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @Test
    void shadowSwapIsRefusedWithTheReasonAndNothingChanges() throws Exception {
        Fixture.seed(dataSource);
        List<Map<String, Object>> before = invariants();
        DedupeStep dedupe = new DedupeStep(TableName.parse("action_invariants"), List.of("action_name", "position"),
                List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true, List.of(), true);

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(migration("my_shadow", dedupe, uniqueInvariants()))))
                .getMessage();

        assertThat(message).contains("shadow_swap is refused").contains("mysql dialect does not support it");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
    }
}
