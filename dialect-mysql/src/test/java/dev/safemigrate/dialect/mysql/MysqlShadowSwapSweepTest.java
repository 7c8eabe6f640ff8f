package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.Sweep;
import dev.safemigrate.core.kit.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fault sweep over a {@code strategy: shadow_swap} run on MySQL/MariaDB, every statement of both
 * connections (the run's and the rename's) failing in turn. Rows are counted as the table plus the archive's rows whose id is not in it (the
 * archive is the whole original table).
 */
class MysqlShadowSwapSweepTest extends KitSupport {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    static Migration shadowMigration() {
        return migration("my_shadow", new DedupeStep(TableName.parse("action_invariants"), List.of("action_name", "position"),
                List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true, List.of(), true), uniqueInvariants());
    }

    private record Snapshot(List<Map<String, Object>> invariants, boolean constraint) {
    }

    @Test
    void everyStatementFailingLeavesTheTableUntouchedOrSwapped() throws Exception {
        Sweep.Figures figures = Sweep.run(this, shadowMigration(), () -> {
            Fixture.seed(dataSource);
            Fixture.execute(dataSource, "DROP TABLE invariant_checks");
        }, () -> new Snapshot(invariants(), Fixture.constraintExists(dataSource, UNIQUE_NAME)), this::rowsPlusDeleted);
        System.out.println(figures.line(getClass().getSimpleName()));
        assertThat(figures.statements()).isGreaterThan(10);
        assertThat(figures.completed()).isPositive();
    }

    private long rowsPlusDeleted() throws Exception {
        long rows = Fixture.count(dataSource, "SELECT COUNT(*) FROM action_invariants");
        for (String archive : archiveTables()) {
            rows += Fixture.count(dataSource, "SELECT COUNT(*) FROM `" + archive + "` a WHERE NOT EXISTS"
                    + " (SELECT 1 FROM action_invariants t WHERE t.id = a.id)");
        }
        return rows;
    }
}
