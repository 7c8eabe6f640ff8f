package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.FaultInjector;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 2: the N-th statement of a run fails, for every N. Afterwards the data is identical, row
 * by row, to before the run (with no archive rows, no constraint, history rolled back or absent), or
 * the migration is complete and correct. Never exit 5. Prints the figures.
 */
public abstract class FaultSweepKit extends KitSupport {

    /** The migration swept; dialects may sweep others too. */
    protected Migration sweptMigration() {
        return exampleMigration();
    }

    @Test
    void everyStatementFailingLeavesTheDataRestoredOrComplete() throws Exception {
        Fixture.seed(dataSource);
        Snapshot before = snapshot();
        FaultInjector counter = new FaultInjector(0);
        safeMigrate(counter).migrate(List.of(sweptMigration()));
        Snapshot complete = snapshot();
        int statements = counter.executed();
        assertThat(statements).isGreaterThan(10);

        int restored = 0;
        int completed = 0;
        long rowsLost = 0;
        for (int n = 1; n <= statements; n++) {
            closeDatabase();
            openDatabase(new SimpleTestInfo("sweep" + n));
            Fixture.seed(dataSource);
            FaultInjector fault = new FaultInjector(n);
            try {
                safeMigrate(fault).migrate(List.of(sweptMigration()));
            } catch (SafeMigrateException e) {
                assertThat(e.exitCode()).as("fault at %d (%s): %s", n, fault.failedStatement(), e.getMessage())
                        .isIn(ExitCode.FAILED_RESTORED, ExitCode.REFUSED);
            }
            Snapshot after = snapshot();
            String where = "fault at statement " + n + " of " + statements + ": " + fault.failedStatement();
            if (after.equals(before)) {
                restored++;
                assertThat(archivedRowCount()).as(where).isZero();
                assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).as(where).isFalse();
                assertThat(historyStatus(sweptMigration().id())).as(where).isIn(null, "rolled_back");
            } else {
                assertThat(after).as(where).isEqualTo(complete);
                assertThat(historyStatus(sweptMigration().id())).as(where).isEqualTo("applied");
                completed++;
            }
            rowsLost += before.rowCount() - after.rowCount() - archived("action_invariants").size();
            safeMigrate().migrate(List.of(sweptMigration()));
            assertThat(snapshot()).as(where + ", then a clean migrate").isEqualTo(complete);
        }
        System.out.printf("fault sweep (%s): %d fault points tried, %d restored, %d completed, %d rows lost%n",
                getClass().getSimpleName(), statements, restored, completed, rowsLost);
        assertThat(restored + completed).isEqualTo(statements);
        assertThat(rowsLost).isZero();
    }

    private Snapshot snapshot() throws Exception {
        return new Snapshot(invariants(), checks(), Fixture.constraintExists(dataSource, UNIQUE_NAME));
    }

    private record Snapshot(List<Map<String, Object>> invariants, List<Map<String, Object>> checks, boolean constraint) {
        long rowCount() {
            return invariants.size() + checks.size();
        }
    }

    record SimpleTestInfo(String name) implements org.junit.jupiter.api.TestInfo {
        @Override
        public String getDisplayName() {
            return name;
        }

        @Override
        public java.util.Set<String> getTags() {
            return java.util.Set.of();
        }

        @Override
        public java.util.Optional<Class<?>> getTestClass() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<java.lang.reflect.Method> getTestMethod() {
            return java.util.Optional.empty();
        }
    }
}
