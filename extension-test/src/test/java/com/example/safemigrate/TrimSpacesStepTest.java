package com.example.safemigrate;

import static com.example.safemigrate.Customers.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.VerifyReport;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.rules.Rules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code trim_spaces}, written in a rules file and run on h2-strict. */
class TrimSpacesStepTest extends KitSupport {
    private static final String TRIM_NAMES = """
            id: ext_001_trim_names
            steps:
              - trim_spaces:
                  table: customers
                  column: name
            """;

    private List<Map<String, Object>> before;

    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }


    @BeforeEach
    void seed() throws Exception {
        Customers.seed(dataSource);
        before = Customers.rows(dataSource);
    }

    private static Migration rules(String yaml) {
        return Rules.parse(Extensions.load(), yaml, "x.yaml");
    }

    private static Migration trimNamesThen(String yaml) {
        return rules(TRIM_NAMES.replace("ext_001_trim_names", "ext_001_trim_names_checked") + yaml);
    }

    @Test
    void aRulesFileUsingTheStepKeyParses() {
        assertThat(rules(TRIM_NAMES).steps()).containsExactly(new TrimSpacesStep(TableName.parse("customers"), "name"));
    }

    @Test
    void anUnknownFieldIsReportedWhereItIsWritten() {
        String yaml = TRIM_NAMES.replace("column: name", "columns: name");
        String message = failure(ExitCode.INVALID, () -> rules(yaml)).getMessage();
        assertThat(message).startsWith("x.yaml:").contains("columns");
    }

    @Test
    void anInvalidTableOrColumnNameIsReportedAtItsField() {
        String badTable = failure(ExitCode.INVALID, () -> rules(TRIM_NAMES.replace("table: customers", "table: bad-name"))).getMessage();
        String badColumn = failure(ExitCode.INVALID, () -> rules(TRIM_NAMES.replace("column: name", "column: \"na;me\""))).getMessage();

        assertThat(badTable).startsWith("x.yaml:").contains("trim_spaces.table: invalid table name 'bad-name'");
        assertThat(badColumn).startsWith("x.yaml:").contains("trim_spaces.column: invalid column name 'na;me'");
    }

    @Test
    void migrateTrimsExactlyThePaddedValues() throws Exception {
        MigrationReport report = safeMigrate().migrate(List.of(rules(TRIM_NAMES)));

        assertThat(Customers.rows(dataSource)).containsExactly(
                row(1, "Ada", "ada@example.com", 10),
                row(2, "Grace", "grace@example.com ", 20),
                row(3, "Linus", " linus@example.com", 30),
                row(4, null, "nobody@example.com", 40),
                row(5, "", "blank@example.com", 50),
                row(6, "Barbara", "barbara@example.com", 60),
                row(7, "Ken Thompson", "ken@example.com", 70));
        assertThat(report.migrations().get(0).steps()).singleElement()
                .satisfies(step -> assertThat(step.outcome()).isEqualTo(new StepOutcome(0, 3, 3, false)));
    }

    @Test
    void theArchiveHoldsTheBeforeImagesOfTheChangedRows() throws Exception {
        safeMigrate().migrate(List.of(rules(TRIM_NAMES)));

        assertThat(Customers.archived(dataSource)).containsExactly(before.get(1), before.get(4), before.get(5));
    }

    @Test
    void planCountsAndVerifyChecksWithoutChangingAnything() throws Exception {
        MigrationPlan plan = safeMigrate().plan(List.of(rules(TRIM_NAMES)));
        VerifyReport verify = safeMigrate().verify(List.of(rules(TRIM_NAMES)));

        assertThat(plan.migrations().get(0).steps()).singleElement().satisfies(step -> {
            assertThat(step.type()).isEqualTo("trim_spaces");
            assertThat(step.estimate().rowsToUpdate()).isEqualTo(3);
            assertThat(step.estimate().tableRows()).isEqualTo(7);
            assertThat(step.estimate().sampleKeys()).containsExactly("(2)", "(5)", "(6)");
        });
        assertThat(verify.violations()).singleElement().satisfies(v -> assertThat(v.result().count()).isEqualTo(3));
        assertThat(Customers.rows(dataSource)).isEqualTo(before);

        safeMigrate().migrate(List.of(rules(TRIM_NAMES)));
        assertThat(safeMigrate().verify(List.of(rules(TRIM_NAMES))).holds()).isTrue();
    }

    @Test
    void undoPutsEveryValueBackFromTheArchive() throws Exception {
        safeMigrate().migrate(List.of(rules(TRIM_NAMES)));

        safeMigrate().undo("ext_001_trim_names");

        assertThat(Customers.rows(dataSource)).isEqualTo(before);
        assertThat(historyStatus("ext_001_trim_names")).isEqualTo("undone");
    }

    @Test
    void aFailedPostconditionPutsEveryValueBack() throws Exception {
        Migration migration = trimNamesThen("""
                postconditions:
                  - sql: SELECT COUNT(*) FROM customers
                    expect: 0
                """);

        failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(migration)));

        assertThat(Customers.rows(dataSource)).isEqualTo(before);
        assertThat(archivedRowCount()).isZero();
        assertThat(historyStatus(migration.id())).isEqualTo("rolled_back");
    }

    @Test
    void aPrimaryKeyColumnIsRefused() throws Exception {
        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(rules(TRIM_NAMES.replace("column: name", "column: id")))))
                .getMessage();
        assertThat(message).contains("primary key");
        assertThat(Customers.rows(dataSource)).isEqualTo(before);
    }

    @Test
    void aNumberColumnIsInvalid() throws Exception {
        String message = failure(ExitCode.INVALID, () -> safeMigrate().migrate(List.of(rules(TRIM_NAMES.replace("column: name", "column: visits")))))
                .getMessage();
        assertThat(message).contains("VISITS").contains("not a variable-length text column");
        assertThat(Customers.rows(dataSource)).isEqualTo(before);
    }
}
