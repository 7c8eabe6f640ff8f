package dev.safemigrate.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the library refuses when it is called in code rather than through the rules reader (which checks ids
 * itself), and what recover does when the strategy that ran an interrupted migration is gone: refused before
 * anything runs, exit 2, the data and the history as they were. Dialect-neutral engine code, so one database.
 */
class H2LibraryRefusalsTest extends KitSupport {
    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }

    @Test
    void twoMigrationsWithTheSameIdAreRefusedBeforeAnyChange() throws Exception {
        Fixture.seed(dataSource);
        List<Map<String, Object>> before = invariants();
        Migration first = exampleMigration();
        Migration second = new Migration(first.id(), "again", first.checksum(), "kit:again", first.guards(), List.of(uniqueInvariants()),
                List.of(), List.of());

        String message = failure(ExitCode.INVALID, () -> safeMigrate().migrate(List.of(first, second))).getMessage();

        assertThat(message).isEqualTo("two migrations have the id kit_001_invariants: kit:kit_001_invariants and kit:again");
        assertThat(invariants()).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
        assertThat(historyStatus(first.id())).isNull();
    }

    /** A run interrupted under a strategy whose jar was since removed is left alone until the jar is back. */
    @Test
    void recoverRefusesARunWhoseStrategyIsNotOnTheClassPathAndFinishesOnceItIs() throws Exception {
        Fixture.seed(dataSource);
        List<Map<String, Object>> seeded = invariants();
        try {
            crashingAt(RunListener.Phase.BETWEEN_PHASES).migrate(List.of(exampleMigration()));
        } catch (SimulatedCrash expected) {
            // The process "died" with the data changes committed and no constraint.
        }
        String strategy = (String) Fixture.query(dataSource, "SELECT strategy FROM safemigrate_history").get(0).get("strategy");
        Fixture.execute(dataSource, "UPDATE safemigrate_history SET strategy = 'acme_swap'");
        List<Map<String, Object>> crashed = invariants();
        long archived = archivedRowCount();

        String message = failure(ExitCode.INVALID, () -> safeMigrate().recover()).getMessage();

        assertThat(message).startsWith("migration kit_001_invariants was interrupted while strategy acme_swap ran it, and that strategy is not on"
                + " the class path (known: ").contains(strategy).endsWith("); add the jar that provides it, then run recover again");
        assertThat(invariants()).isEqualTo(crashed);
        assertThat(archivedRowCount()).isEqualTo(archived).isPositive();
        assertThat(historyStatus("kit_001_invariants")).isEqualTo("in_progress");

        Fixture.execute(dataSource, "UPDATE safemigrate_history SET strategy = '" + strategy + "'");
        safeMigrate().recover();
        assertThat(historyStatus("kit_001_invariants")).as("completed").isEqualTo("applied");
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(invariants()).isEqualTo(crashed).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(archived("action_invariants")).as("every removed duplicate is archived").hasSize(seeded.size() - Fixture.UNIQUE_ROWS);
    }
}
