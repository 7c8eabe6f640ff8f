package com.example.safemigrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.H2Memory;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.steps.AddUniqueStep;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The outside modules are found by ServiceLoader and wired by Guice next to the built-in ones; the outside
 * dialect is picked by its probe over the H2 dialect it extends, and brings its own strategy.
 */
class ExtensionWiringTest {
    private static final DatabaseInfo H2 = new DatabaseInfo("H2", "2.3.232 (2024-08-11)", 2, 3);

    @Test
    void stepTypeDialectAndStrategyAreContributed() {
        Extensions extensions = Extensions.load();
        assertThat(extensions.stepTypes()).containsKeys("trim_spaces", "dedupe", "add_unique");
        assertThat(extensions.dialects()).containsKeys("h2-strict", "h2");
        assertThat(extensions.strategies()).containsKeys("step_limited", "compensating", "single_transaction");
    }

    @Test
    void theProbePicksH2StrictForAStrictModeDatabaseAndH2Otherwise() throws Exception {
        Extensions extensions = Extensions.load();
        try (TestDatabase strict = H2Memory.open("probe_strict", ";MODE=STRICT"); TestDatabase plain = H2Memory.open("probe_plain", "");
             Connection strictConnection = strict.dataSource().getConnection(); Connection plainConnection = plain.dataSource().getConnection()) {
            assertThat(extensions.dialectFor(strictConnection, H2, Optional.empty())).isInstanceOf(H2StrictDialect.class);
            assertThat(extensions.dialectFor(plainConnection, H2, Optional.empty()).name()).isEqualTo("h2");
            assertThat(extensions.dialectFor(plainConnection, H2, Optional.of("h2-strict"))).isInstanceOf(H2StrictDialect.class);
        }
    }

    /** Up to five steps its own strategy runs the migration; beyond, the built-in compensating one does, and plan says why. */
    @Test
    void itsOwnStrategyRunsShortMigrationsAndPlanSaysWhyNotLongOnes() throws Exception {
        try (TestDatabase db = H2Memory.open("strategy_strict", ";MODE=STRICT")) {
            List<Step> steps = new ArrayList<>();
            StringBuilder columns = new StringBuilder("id INTEGER NOT NULL PRIMARY KEY");
            for (int c = 1; c <= StepLimitStrategy.MAX_STEPS + 1; c++) {
                columns.append(", c").append(c).append(" INTEGER");
                steps.add(new AddUniqueStep(TableName.parse("wide"), "uq_wide_c" + c, List.of("c" + c), null));
            }
            try (Connection connection = db.dataSource().getConnection()) {
                connection.createStatement().execute("CREATE TABLE wide (" + columns + ")");
            }
            SafeMigrate sm = SafeMigrate.builder().dataSource(db.dataSource()).build();

            MigrationPlan.Item shortOne = sm.plan(List.of(migration("short", steps.subList(0, StepLimitStrategy.MAX_STEPS)))).migrations().get(0);
            MigrationPlan.Item longOne = sm.plan(List.of(migration("long", steps))).migrations().get(0);

            assertThat(shortOne.strategy()).isEqualTo(StepLimitStrategy.NAME);
            assertThat(longOne.strategy()).isEqualTo("compensating");
            assertThat(longOne.otherStrategies()).contains("step_limited: 6 steps, more than the 5 it takes")
                    .anySatisfy(note -> assertThat(note).startsWith("single_transaction: DDL commits"));
            assertThat(sm.migrate(List.of(migration("short", steps.subList(0, StepLimitStrategy.MAX_STEPS)))).migrations().get(0).strategy())
                    .isEqualTo(StepLimitStrategy.NAME);
        }
    }

    private static Migration migration(String id, List<Step> steps) {
        return new Migration(id, "", Integer.toHexString(steps.hashCode()), "test", Guards.DEFAULT, steps, List.of(), List.of());
    }
}
