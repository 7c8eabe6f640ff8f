package dev.safemigrate.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.CheckKitSupport;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks on H2, which has no read-only transaction: every way found for a check to change something, refused before it runs. */
class H2CheckEscapesTest extends CheckKitSupport {
    @TempDir
    Path directory;

    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }

    @BeforeEach
    void objects() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE victim (id INT PRIMARY KEY)", "INSERT INTO victim VALUES (1), (2)", "CREATE SEQUENCE sm_seq");
    }

    private long victims() throws Exception {
        return Fixture.count(dataSource, "SELECT COUNT(*) FROM victim");
    }

    /** Measured on the first version: under plan, the precondition wrote the file. */
    @Test
    void fileWriteUnderPlanIsRefusedAndNoFileIsWritten() throws Exception {
        Path pwned = directory.resolve("pwned.txt");
        assertThat(refusedEverywhere("SELECT LENGTH(FILE_WRITE('pwned', '" + pwned + "')) - 5"))
                .allSatisfy(m -> assertThat(m).contains("calls file_write (it writes a file)"));
        assertThat(pwned).doesNotExist();
    }

    @Test
    void fileAndSessionFunctionsAreRefused() throws Exception {
        Path dump = directory.resolve("dump.csv");
        Files.writeString(directory.resolve("in.csv"), "ID\n1\n");
        for (String call : List.of("CSVWRITE('" + dump + "', 'SELECT * FROM victim')", "LENGTH(FILE_READ('" + directory.resolve("in.csv") + "'))",
                "CANCEL_SESSION(1)", "ABORT_SESSION(1)", "NEXTVAL('sm_seq')")) {
            String name = call.substring(call.startsWith("LENGTH(") ? 7 : 0, call.indexOf('(', call.startsWith("LENGTH(") ? 7 : 0))
                    .toLowerCase(java.util.Locale.ROOT);
            assertThat(refusedByMigrate("SELECT COUNT(*) FROM victim WHERE " + call + " IS NOT NULL")).as(call).contains("calls " + name + " (it ");
        }
        assertThat(refusedByMigrate("SELECT COUNT(*) FROM CSVREAD('" + directory.resolve("in.csv") + "')")).contains("calls csvread");
        assertThat(refusedByMigrate("SELECT COUNT(*) FROM (SELECT LINK_SCHEMA('SM_LINKED', '', 'jdbc:h2:mem:sm_other', '', '', 'PUBLIC')) x"))
                .contains("calls link_schema");
        assertThat(dump).doesNotExist();
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME = 'SM_LINKED'")).isZero();
        assertThat(Fixture.count(dataSource, "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'SM_SEQ'")).isEqualTo(1);
    }

    /** Refused by the text rules, before any database is reached. */
    @Test
    void deltaTablesScriptsAliasesAndVariablesAreRefusedAsText() throws Exception {
        Path script = directory.resolve("script.sql");
        Files.writeString(script, "DELETE FROM victim;");
        assertThat(refusedAsText("SELECT COUNT(*) FROM OLD TABLE (DELETE FROM victim)")).contains("('DELETE')");
        assertThat(refusedAsText("SELECT COUNT(*) FROM FINAL TABLE (INSERT INTO victim VALUES (3))")).contains("('INSERT')");
        assertThat(refusedAsText("SELECT COUNT(*) FROM NEW TABLE (UPDATE victim SET id = id + 10)")).contains("('UPDATE')");
        assertThat(refusedAsText("SELECT COUNT(*) FROM FINAL TABLE (MERGE INTO victim KEY (id) VALUES (3))")).contains("('MERGE')");
        assertThat(refusedAsText("RUNSCRIPT FROM '" + script + "'")).contains("a check must be a single SELECT");
        assertThat(refusedAsText("CALL DATABASE_PATH()")).contains("a check must be a single SELECT");
        assertThat(refusedAsText("SELECT 1; CREATE ALIAS SM_X FOR 'java.lang.System.exit'")).contains("a check must be a single SELECT");
        assertThat(refusedAsText("SELECT SET(@x, 1)")).contains("('SET')");
        assertThat(refusedAsText("SELECT NEXT VALUE FOR sm_seq")).contains("('NEXT VALUE')");
        assertThat(refusedAsText("SELECT id FROM victim FOR UPDATE")).contains("('FOR UPDATE')");
        assertThat(victims()).isEqualTo(2);
        assertThat(Fixture.count(dataSource, "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'SM_SEQ'")).isEqualTo(1);
    }

    /** A Java alias can do anything: refused when called from a check, through a view or a domain's check; a linked table reads another database. */
    @Test
    void javaAliasesAndLinkedTablesAreRefused() throws Exception {
        Fixture.execute(dataSource, "CREATE ALIAS SM_PROPERTY FOR 'java.lang.System.setProperty'",
                "CREATE VIEW sm_aliased AS SELECT SM_PROPERTY('safemigrate.check', 'ran') AS v",
                "CREATE ALIAS SM_ABS FOR 'java.lang.Math.abs(int)'", "CREATE DOMAIN sm_checked AS INT CHECK (SM_ABS(VALUE) >= 0)",
                "CREATE LINKED TABLE sm_linked ('org.h2.Driver', 'jdbc:h2:mem:sm_linked_source;DB_CLOSE_DELAY=-1', '', '', "
                        + "'(SELECT 1 AS ID)')");
        assertThat(refusedEverywhere("SELECT COUNT(*) FROM victim WHERE SM_PROPERTY('safemigrate.check', 'ran') IS NULL"))
                .allSatisfy(m -> assertThat(m).contains("calls the user routine PUBLIC.SM_PROPERTY"));
        assertThat(refusedByMigrate("SELECT COUNT(*) FROM sm_aliased")).contains("reads view ").contains("SM_ALIASED, which calls the user routine");
        assertThat(refusedByMigrate("SELECT COUNT(*) FROM victim WHERE CAST(id AS sm_checked) > 0"))
                .contains("reads the check of domain PUBLIC.SM_CHECKED, which calls the user routine");
        assertThat(refusedByMigrate("SELECT COUNT(*) FROM sm_linked")).contains("a table H2 does not store itself (org.h2.table.TableLink)");
        assertThat(System.getProperty("safemigrate.check")).isNull();
    }
}
