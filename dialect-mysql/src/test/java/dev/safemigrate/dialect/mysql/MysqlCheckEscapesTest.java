package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.kit.CheckKitSupport;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks on MySQL/MariaDB: every way found for a check to change something, and what stops it. */
class MysqlCheckEscapesTest extends CheckKitSupport {
    @TempDir
    Path directory;

    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @BeforeEach
    void objects() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
                "CREATE FUNCTION sm_write() RETURNS INT NOT DETERMINISTIC MODIFIES SQL DATA BEGIN INSERT INTO audit (note) VALUES ('check'); RETURN 1; END");
    }

    private boolean lockFree() throws Exception {
        return Fixture.count(dataSource, "SELECT IS_USED_LOCK('sm_kit') IS NULL") == 1;
    }

    @Test
    void namedLocksAreRefused() throws Exception {
        assertThat(refusedEverywhere("SELECT GET_LOCK('sm_kit', 0)")).allSatisfy(m -> assertThat(m).contains("calls get_lock (it takes or releases named locks"));
        for (String call : List.of("RELEASE_LOCK('sm_kit')", "RELEASE_ALL_LOCKS()", "get_lock ('sm_kit', 0)")) {
            assertThat(refusedByMigrate("SELECT COUNT(*) FROM action_invariants WHERE " + call + " IS NOT NULL")).as(call).contains("named locks");
        }
        assertThat(lockFree()).isTrue();
    }

    @Test
    void builtInsThatWaitReadFilesOrSetSessionStateAreRefused() throws Exception {
        for (String call : List.of("SLEEP(5)", "BENCHMARK(100000000, MD5('x'))", "LOAD_FILE('/etc/hostname')", "LAST_INSERT_ID(5)",
                "MASTER_POS_WAIT('log', 1)", "MASTER_GTID_WAIT('0-1-1', 1)")) {
            String name = call.substring(0, call.indexOf('(')).toLowerCase(java.util.Locale.ROOT);
            assertThat(refusedByMigrate("SELECT COUNT(*) FROM action_invariants WHERE " + call + " IS NOT NULL")).as(call).contains("calls " + name + " (it ");
        }
    }

    /**
     * A FEDERATED table reads another server (here this one, through a connection of its own) when the check reads it:
     * refused, naming the table and its engine. The engine is installed for the test if the server lacks it.
     */
    @Test
    void aCheckReadingAFederatedTableIsRefused() throws Exception {
        assumeTrue(MysqlDatabases.isMariaDb(), "FederatedX is MariaDB's");
        boolean installed = Fixture.count(dataSource, "SELECT COUNT(*) FROM information_schema.ENGINES WHERE ENGINE = 'FEDERATED'") == 0;
        if (installed) {
            Fixture.execute(dataSource, "INSTALL SONAME 'ha_federatedx'");
        }
        try {
            String database = Fixture.query(dataSource, "SELECT DATABASE() AS d").get(0).get("d").toString();
            Fixture.execute(dataSource, "CREATE TABLE remote_audit (id INT NOT NULL, note VARCHAR(20) NOT NULL) ENGINE = FEDERATED"
                    + " CONNECTION = 'mysql://root@127.0.0.1:3306/" + database + "/audit'");

            assertThat(refusedEverywhere("SELECT COUNT(*) FROM remote_audit")).allSatisfy(m -> assertThat(m)
                    .contains("reads " + database + ".remote_audit, a FEDERATED table: reading it reaches another server or the file system"));
        } finally {
            Fixture.execute(dataSource, "DROP TABLE IF EXISTS remote_audit");
            if (installed) {
                Fixture.execute(dataSource, "UNINSTALL SONAME 'ha_federatedx'");
            }
        }
    }

    /**
     * A loadable function (CREATE FUNCTION ... SONAME) runs native code of the server's plugin directory: refused. The
     * server ships no loadable function to install, so the test writes the catalog row that CREATE FUNCTION writes,
     * which is all the refusal reads (the function is never called).
     */
    @Test
    void aCheckCallingALoadableFunctionIsRefused() throws Exception {
        Fixture.execute(dataSource, "INSERT INTO mysql.func (name, ret, dl, type) VALUES ('sm_kit_udf', 2, 'sm_kit_udf.so', 'function')");
        try {
            assertThat(refusedByMigrate("SELECT COUNT(*) FROM action_invariants WHERE sm_kit_udf(id) = 1"))
                    .contains("calls the loadable function sm_kit_udf (a loadable function can do anything)");
        } finally {
            Fixture.execute(dataSource, "DELETE FROM mysql.func WHERE name = 'sm_kit_udf'");
        }
    }

    /** MariaDB sequences: no rollback undoes NEXTVAL or SETVAL. */
    @Test
    void sequencesAreRefused() throws Exception {
        assumeTrue(MysqlDatabases.isMariaDb(), "sequences are MariaDB's");
        Fixture.execute(dataSource, "CREATE SEQUENCE sm_seq NOCACHE");
        for (String call : List.of("NEXTVAL(sm_seq)", "SETVAL(sm_seq, 100)", "LASTVAL(sm_seq)")) {
            assertThat(refusedByMigrate("SELECT " + call)).as(call).contains("a sequence");
        }
        assertThat(refusedAsText("SELECT NEXT VALUE FOR sm_seq")).contains("('NEXT VALUE')");
        assertThat(Fixture.count(dataSource, "SELECT next_not_cached_value FROM sm_seq")).isEqualTo(1);
    }

    /** Refused by the text rules, before any database is reached. */
    @Test
    void outfilesVariablesExecutableCommentsAndLockingReadsAreRefusedAsText() throws Exception {
        Path outfile = directory.resolve("out.txt");
        assertThat(refusedAsText("SELECT id FROM audit INTO OUTFILE '" + outfile + "'")).contains("('INTO')");
        assertThat(refusedAsText("SELECT id INTO DUMPFILE '" + outfile + "' FROM audit")).contains("('INTO')");
        assertThat(refusedAsText("SELECT COUNT(*) INTO @n FROM audit")).contains("('INTO')");
        assertThat(refusedAsText("SELECT @x := 1")).contains("(':=')");
        assertThat(refusedAsText("SELECT /*!50000 GET_LOCK('sm_kit', 0) + */ 1")).contains("('/*!5')");
        assertThat(refusedAsText("SELECT /*M!100000 SLEEP(5) + */ 1")).contains("('/*M!')");
        assertThat(refusedAsText("SELECT /*+ MAX_EXECUTION_TIME(1) */ 1")).contains("('/*+ ')");
        assertThat(refusedAsText("SELECT 'it\\'s', GET_LOCK('sm_kit', 0) -- '")).contains("backslash");
        assertThat(refusedAsText("SELECT 1 # GET_LOCK('sm_kit', 0)")).contains("('#')");
        assertThat(refusedAsText("SELECT 1 --1\n")).contains("two minus signs");
        assertThat(refusedAsText("SELECT id FROM audit FOR UPDATE")).contains("('FOR UPDATE')");
        assertThat(refusedAsText("SELECT id FROM audit LOCK IN SHARE MODE")).contains("('LOCK')");
        assertThat(refusedAsText("DO GET_LOCK('sm_kit', 0)")).contains("a check must be a single SELECT");
        assertThat(refusedAsText("HANDLER audit OPEN")).contains("a check must be a single SELECT");
        assertThat(outfile).doesNotExist();
        assertThat(lockFree()).isTrue();
    }

    @Test
    void readingUserVariablesIsAllowed() throws Exception {
        Migration migration = withChecks("kit_variables", List.of(check("SELECT COUNT(*) FROM action_invariants WHERE @sm_unset IS NULL", 260),
                check("SELECT COUNT(*) FROM action_invariants WHERE @@session.sql_mode IS NOT NULL AND IS_FREE_LOCK('sm_kit') = 1", 260)), List.of());
        assertThat(safeMigrate().plan(List.of(migration)).migrations()).singleElement().satisfies(m -> assertThat(m.status()).isEqualTo("pending"));
    }

    /** A stored function can do anything, whatever it declares; so can one called through a view. */
    @Test
    void storedFunctionsAndViewsOverThemAreRefused() throws Exception {
        String database = (String) Fixture.query(dataSource, "SELECT DATABASE() d").get(0).get("d");
        assertThat(refusedEverywhere("SELECT sm_write()")).allSatisfy(m -> assertThat(m).contains("calls the stored function " + database + ".sm_write"));
        assertThat(refusedByMigrate("SELECT `" + database + "`.sm_write()")).contains("calls the stored function " + database + ".sm_write");
        Fixture.execute(dataSource, "CREATE VIEW sm_locking AS SELECT GET_LOCK('sm_kit', 0) AS v", "CREATE VIEW sm_writing AS SELECT sm_write() AS v");
        assertThat(refusedEverywhere("SELECT COUNT(*) FROM sm_locking")).allSatisfy(m -> assertThat(m).contains("reads view " + database + ".sm_locking, which calls get_lock"));
        assertThat(refusedByMigrate("SELECT COUNT(*) FROM sm_writing w")).contains("reads view " + database + ".sm_writing, which calls the stored function");
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM audit")).isZero();
        assertThat(lockFree()).isTrue();
    }

    /**
     * With the policy switched off, the runtime alone: outside a run the READ ONLY transaction refuses
     * the write; inside, the savepoint rolled back after the check undoes it.
     */
    @Test
    void withoutThePolicyReadOnlyTransactionsAndSavepointsStillUndoWrites() throws Exception {
        var unguarded = unguarded(MysqlUnguardedModule.NAME);
        Migration pre = withChecks("kit_check", List.of(check("SELECT sm_write()", 1)), List.of());
        assertThat(failure(ExitCode.FAILED_RESTORED, () -> unguarded.plan(List.of(pre))).getMessage())
                .contains("precondition at " + LOCATION).contains("could not run").contains("READ ONLY");
        Migration verified = withChecks("kit_check", List.of(), List.of(check("SELECT sm_write()", 1)));
        assertThat(failure(ExitCode.FAILED_RESTORED, () -> unguarded.verify(List.of(verified))).getMessage()).contains("READ ONLY");
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM audit")).isZero();

        Fixture.execute(dataSource, "CREATE FUNCTION sm_write_invariant() RETURNS INT NOT DETERMINISTIC MODIFIES SQL DATA BEGIN"
                + " INSERT INTO action_invariants (id, action_name, position) VALUES (9999, 'from a check', 0); RETURN 1; END");
        Migration post = withChecks("kit_check", List.of(), List.of(check("SELECT sm_write_invariant()", 1)));
        MigrationReport report = unguarded.migrate(List.of(post));
        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS).noneMatch(r -> ((Number) r.get("id")).intValue() == 9999);
    }
}
