package dev.safemigrate.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Customers;
import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.rules.Rules;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.exception.LiquibaseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The custom change's parameters, its validation, rollback-sql, and a data source given through Liquibase's scope (H2). */
class SafeMigrateChangeTest {
    @TempDir
    Path dir;

    private final LiquibaseRunnerTest runner = new LiquibaseRunnerTest();

    @Test
    void aDataSourceInLiquibasesScopeIsTheOneSafemigrateUses() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_lb_scope_" + LiquibaseRunnerTest.suffix())) {
            write("<param name=\"file\" value=\"dedupe_customers.yaml\"/><param name=\"lockTimeout\" value=\" 5 \"/>"
                    + "<param name=\"passwordEnv\" value=\"SAFEMIGRATE_TEST_NO_SUCH_VARIABLE\"/>", Customers.RULES);
            try (Liquibase liquibase = liquibase(db)) {
                Scope.child(LiquibaseDataSource.SCOPE_KEY, db.dataSource(), () -> liquibase.update(new Contexts(), new LabelExpression()));

                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED_AND_MORE);
                assertThat(Customers.unique(db.dataSource())).isTrue();
            }
        }
    }

    @Test
    void rollbackSqlSaysWhatUndoWillDoAndChangesNothing() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_lb_rollbacksql_" + LiquibaseRunnerTest.suffix())) {
            write("<param name=\"file\" value=\"dedupe_customers.yaml\"/>", Customers.RULES);
            try (Liquibase liquibase = liquibase(db)) {
                liquibase.update(2, new Contexts(), new LabelExpression());
                StringWriter sql = new StringWriter();

                liquibase.rollback(1, (String) null, sql);

                assertThat(sql.toString()).containsPattern("(?m)^-- +safemigrate undo " + Customers.ID + ": puts back the rows it deleted");
                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED);
                assertThat(LiquibaseRunnerTest.changesets(db)).containsExactly("1", "2");
            }
        }
    }

    @Test
    void updateSqlSaysSoWhenSafemigrateAppliedTheFileAlready() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_lb_applied_" + LiquibaseRunnerTest.suffix())) {
            write("<param name=\"file\" value=\"dedupe_customers.yaml\"/>", Customers.RULES);
            try (Liquibase liquibase = liquibase(db)) {
                liquibase.update(1, new Contexts(), new LabelExpression());
                SafeMigrate.builder().dataSource(db.dataSource()).build()
                        .migrate(List.of(Rules.parse(Extensions.load(), Customers.RULES, "cli/" + Customers.ID + ".yaml")));
                StringWriter sql = new StringWriter();

                liquibase.update(new Contexts(), new LabelExpression(), sql);

                assertThat(sql.toString()).containsPattern("(?m)^-- +safemigrate " + Customers.ID + ": already applied, nothing to do$");
            }
        }
    }

    @Test
    void updateSqlBeforeTheTablesExistSaysWhyThereIsNoPlan() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_lb_fresh_" + LiquibaseRunnerTest.suffix())) {
            write("<param name=\"file\" value=\"dedupe_customers.yaml\"/>", Customers.RULES);
            try (Liquibase liquibase = liquibase(db)) {
                StringWriter sql = new StringWriter();

                liquibase.update(new Contexts(), new LabelExpression(), sql);

                assertThat(sql.toString()).contains(Customers.CREATE).contains(Customers.MORE)
                        .containsPattern("(?m)^-- +safemigrate " + Customers.ID + ": no plan against the database as it is now \\(exit 2: migration"
                                + " dedupe_customers: table customer does not exist\\); if changesets above create what it needs, run update-sql again");
                assertThat(Fixture.tables(db.dataSource())).doesNotContain("customer");
            }
        }
    }

    @Test
    void aChangeWithoutARulesFileIsRefusedBeforeAnythingRuns() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_lb_nofile_" + LiquibaseRunnerTest.suffix())) {
            write("", Customers.RULES);
            try (Liquibase liquibase = liquibase(db)) {
                assertThatThrownBy(() -> liquibase.update(new Contexts(), new LabelExpression())).isInstanceOf(LiquibaseException.class)
                        .hasMessageContaining("safemigrate custom change: the parameter 'file' (the rules file) is required");
                assertThat(Fixture.tables(db.dataSource())).doesNotContain("customer");
            }
        }
    }

    @Test
    void aMissingRulesFileIsRefusedBeforeAnythingRuns() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_lb_missing_" + LiquibaseRunnerTest.suffix())) {
            write("<param name=\"file\" value=\"no_such_file.yaml\"/>", Customers.RULES);
            try (Liquibase liquibase = liquibase(db)) {
                assertThatThrownBy(() -> liquibase.update(new Contexts(), new LabelExpression())).isInstanceOf(LiquibaseException.class)
                        .hasMessageContaining("no_such_file.yaml: cannot read the rules file: ");
                assertThat(Fixture.tables(db.dataSource())).doesNotContain("customer");
            }
        }
    }

    /** The data source made from Liquibase's connection passes on what the driver says, here a refused login. */
    @Test
    void theDerivedDataSourceReportsTheDriversErrors() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_lb_derived_" + LiquibaseRunnerTest.suffix())) {
            write("<param name=\"file\" value=\"dedupe_customers.yaml\"/>", Customers.RULES);
            try (Liquibase liquibase = liquibase(db)) {
                DataSource derived = LiquibaseDataSource.of(liquibase.getDatabase(), "SAFEMIGRATE_TEST_NO_SUCH_VARIABLE");

                try (Connection connection = derived.getConnection()) {
                    assertThat(connection.getMetaData().getURL()).isEqualTo(liquibase.getDatabase().getConnection().getURL());
                }
                assertThatThrownBy(() -> derived.getConnection("nobody", "wrong")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("Wrong user name or password");
            }
        }
    }

    @Test
    void anInvalidRulesFileIsRefusedNamingFileLineAndColumnBeforeAnythingRuns() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_lb_invalid_" + LiquibaseRunnerTest.suffix())) {
            write("<param name=\"file\" value=\"dedupe_customers.yaml\"/>", "id: dedupe_customers\nsteps:\n  - dedupe:\n      table: customer\n      key: 5\n");
            try (Liquibase liquibase = liquibase(db)) {
                assertThatThrownBy(() -> liquibase.update(new Contexts(), new LabelExpression())).isInstanceOf(LiquibaseException.class)
                        .hasMessageContaining("dedupe_customers.yaml:5:");
                assertThat(Fixture.tables(db.dataSource())).doesNotContain("customer");
            }
        }
    }

    private void write(String params, String rules) throws Exception {
        Files.writeString(dir.resolve("changelog.xml"), LiquibaseRunnerTest.CHANGELOG.replace(
                "<param name=\"file\" value=\"dedupe_customers.yaml\"/>", params));
        Files.writeString(dir.resolve("dedupe_customers.yaml"), rules);
    }

    private Liquibase liquibase(TestDatabase db) throws Exception {
        runner.dir = dir;
        return runner.liquibase(db);
    }
}
