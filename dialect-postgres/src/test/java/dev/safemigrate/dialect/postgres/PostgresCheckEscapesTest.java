package dev.safemigrate.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.kit.CheckKitSupport;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks on PostgreSQL: every way found for a check to change something, and what stops it. */
class PostgresCheckEscapesTest extends CheckKitSupport {
    /** A plpgsql body that moves sm_seq, marked STABLE to show the label does not matter. */
    private static final String MOVES_SEQUENCE = "LANGUAGE plpgsql STABLE AS $$ BEGIN PERFORM setval('sm_seq', 50); RETURN %s; END $$";

    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }

    @BeforeEach
    void objects() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE app_orders (id serial PRIMARY KEY, item text NOT NULL)",
                "INSERT INTO app_orders (item) VALUES ('a'), ('b'), ('c')", "CREATE SEQUENCE sm_seq");
    }

    private long sequence() throws Exception {
        return Fixture.count(dataSource, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sm_seq");
    }

    /** Measured on the first version: the sequence stayed at 120 and the application's next insert failed on a duplicate id. */
    @Test
    void setvalInAPostconditionIsRefusedAndTheNextInsertWorks() throws Exception {
        assertThat(refusedEverywhere("SELECT setval('app_orders_id_seq', 120)")).allSatisfy(m -> assertThat(m).contains("calls setval")
                .contains("is volatile"));
        Fixture.execute(dataSource, "INSERT INTO app_orders (item) VALUES ('next')");
        assertThat(Fixture.count(dataSource, "SELECT max(id) FROM app_orders")).isEqualTo(4);
    }

    /** Each built-in with an effect is volatile in pg_proc; afterwards the sequence, the other session, the files are as they were. */
    @Test
    void builtInsWithEffectsAreRefused(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        Path exported = directory.resolve("exported");
        try (Connection other = dataSource.getConnection(); Statement statement = other.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            int pid = rs.getInt(1);
            long largeObjects = Fixture.count(dataSource, "SELECT count(*) FROM pg_largeobject_metadata");
            for (String call : List.of("nextval('sm_seq')", "setval('sm_seq', 5)", "pg_advisory_unlock_all()", "pg_advisory_lock(42)",
                    "pg_try_advisory_xact_lock(42)", "set_config('work_mem', '77MB', false)", "pg_terminate_backend(" + pid + ")",
                    "pg_cancel_backend(" + pid + ")", "lo_import('/etc/hostname')", "lo_export(0, '" + exported + "')",
                    "pg_read_file('/etc/hostname')", "pg_read_binary_file('/etc/hostname')", "pg_stat_file('/etc/hostname')",
                    "pg_sleep(5)", "pg_notify('sm', 'x')", "random()")) {
                String name = call.substring(0, call.indexOf('('));
                assertThat(refusedByMigrate("SELECT count(*) FROM (SELECT " + call + ") x")).as(call)
                        .contains("calls " + name + " (").contains("is volatile");
            }
            Fixture.execute(dataSource, "CREATE VIEW sm_unlocking AS SELECT pg_advisory_unlock_all() IS NULL AS v");
            for (String call : List.of("table_to_xml('sm_unlocking'::regclass, true, false, '')", "schema_to_xml(current_schema(), true, false, '')",
                    "database_to_xml(true, false, '')")) {
                assertThat(refusedByMigrate("SELECT count(*) FROM (SELECT " + call + ") x")).as(call)
                        .contains("reads tables and views named at run time");
            }
            for (String sql : List.of("SELECT count(*) FROM pg_ls_dir('.') d", "SELECT count(*) FROM action_invariants a"
                    + " WHERE a.id IN (SELECT pg_catalog.nextval('sm_seq'))", "SELECT \"nextval\"('sm_seq')")) {
                assertThat(refusedByMigrate(sql)).as(sql).contains("is volatile");
            }
            assertThat(other.isValid(2)).isTrue();
            assertThat(sequence()).isZero();
            assertThat(Fixture.count(dataSource, "SELECT count(*) FROM pg_largeobject_metadata")).isEqualTo(largeObjects);
            assertThat(exported).doesNotExist();
        }
    }

    /** Refused by the text rules, before any database is reached. */
    @Test
    void statementsThatAreNotASingleSelectAreRefusedAsText(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        Path program = directory.resolve("ran");
        assertThat(refusedAsText("COPY (SELECT 1) TO PROGRAM 'touch " + program + "'")).contains("a check must be a single SELECT");
        assertThat(refusedAsText("SELECT 1; COPY app_orders TO PROGRAM 'touch " + program + "'")).contains("a check must be a single SELECT");
        assertThat(refusedAsText("SET work_mem = '77MB'")).contains("a check must be a single SELECT");
        assertThat(refusedAsText("RESET ALL")).contains("a check must be a single SELECT");
        assertThat(refusedAsText("WITH x AS (DELETE FROM app_orders RETURNING 1) SELECT count(*) FROM x")).contains("('DELETE')");
        assertThat(refusedAsText("WITH x AS (INSERT INTO app_orders (item) VALUES ('z') RETURNING 1) SELECT count(*) FROM x")).contains("('INSERT')");
        assertThat(refusedAsText("SELECT * INTO sm_copy FROM app_orders")).contains("('INTO')");
        assertThat(refusedAsText("SELECT count(*) FROM (SELECT id FROM app_orders FOR UPDATE) x")).contains("('FOR UPDATE')");
        assertThat(refusedAsText("SELECT count(*) FROM (SELECT id FROM app_orders FOR NO KEY UPDATE) x")).contains("('FOR NO')");
        assertThat(refusedAsText("SELECT $$x$$")).contains("dollar quoting");
        assertThat(refusedAsText("SELECT E'\\\\'")).contains("E''");
        assertThat(program).doesNotExist();
        assertThat(Fixture.count(dataSource, "SELECT count(*) FROM app_orders")).isEqualTo(3);
        assertThat(Fixture.tables(dataSource)).doesNotContain("sm_copy");
    }

    /** dblink is an extension (not built in): refused by name whether installed or not; a user function standing in for it too. */
    @Test
    void dblinkAndAUserFunctionStandingInForItAreRefused() throws Exception {
        boolean available = Fixture.count(dataSource, "SELECT count(*) FROM pg_available_extensions WHERE name = 'dblink'") == 1;
        boolean installed = Fixture.count(dataSource, "SELECT count(*) FROM pg_extension WHERE extname = 'dblink'") == 1;
        if (available && !installed) {
            Fixture.execute(dataSource, "CREATE EXTENSION dblink SCHEMA " + Fixture.query(dataSource, "SELECT quote_ident(current_schema()) s")
                    .get(0).get("s"));
        }
        Fixture.execute(dataSource, "CREATE FUNCTION dblink_exec_standin(sql text) RETURNS int LANGUAGE plpgsql STABLE AS"
                + " $$ BEGIN EXECUTE sql; RETURN 1; END $$");
        if (available) {
            String schema = (String) Fixture.query(dataSource, "SELECT quote_ident(n.nspname) s FROM pg_extension e JOIN pg_namespace n"
                    + " ON n.oid = e.extnamespace WHERE e.extname = 'dblink'").get(0).get("s");
            assertThat(refusedEverywhere("SELECT count(*) FROM " + schema + ".dblink_exec('dbname=test', 'DELETE FROM app_orders') x"))
                    .allSatisfy(m -> assertThat(m).contains("calls dblink_exec (").contains("not built into PostgreSQL"));
        }
        assertThat(refusedEverywhere("SELECT dblink_exec_standin('DELETE FROM app_orders')"))
                .allSatisfy(m -> assertThat(m).contains("calls dblink_exec_standin").contains("not built into PostgreSQL"));
        assertThat(Fixture.count(dataSource, "SELECT count(*) FROM app_orders")).isEqualTo(3);
    }

    /** Code PostgreSQL runs without the check naming a function: operators, casts, attribute notation, policies, domains, foreign tables. */
    @Test
    void codeBehindOperatorsCastsPoliciesDomainsAndAttributesIsRefused() throws Exception {
        Fixture.execute(dataSource, "CREATE FUNCTION sm_eq(int, int) RETURNS boolean " + MOVES_SEQUENCE.formatted("$1 = $2"),
                "CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = sm_eq)",
                "CREATE TYPE sm_mood AS ENUM ('ok')",
                "CREATE FUNCTION sm_to_mood(int) RETURNS sm_mood " + MOVES_SEQUENCE.formatted("'ok'"),
                "CREATE CAST (int AS sm_mood) WITH FUNCTION sm_to_mood(int)",
                "CREATE FUNCTION sm_row(action_invariants) RETURNS int " + MOVES_SEQUENCE.formatted("1"),
                "CREATE FUNCTION sm_allowed() RETURNS boolean " + MOVES_SEQUENCE.formatted("true"),
                "ALTER TABLE invariant_checks ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY sm_policy ON invariant_checks USING (sm_allowed())",
                "CREATE DOMAIN sm_positive AS int CHECK (sm_eq(VALUE, VALUE))");
        assertThat(refusedByMigrate("SELECT count(*) FROM action_invariants WHERE id === 1"))
                .contains("may use the operator ===(integer,integer)");
        assertThat(refusedByMigrate("SELECT count(*) FROM action_invariants WHERE id::sm_mood = 'ok'"))
                .contains("may cast integer to sm_mood");
        assertThat(refusedByMigrate("SELECT count(*) FROM action_invariants a WHERE a.sm_row = 1")).contains("calls sm_row");
        assertThat(refusedByMigrate("SELECT count(*) FROM action_invariants a WHERE (a).sm_row = 1")).contains("calls sm_row");
        assertThat(refusedByMigrate("SELECT count(*) FROM invariant_checks"))
                .contains("reads row-level security policy sm_policy on ").contains("which calls sm_allowed");
        assertThat(refusedByMigrate("SELECT count(*) FROM action_invariants WHERE CAST(id AS sm_positive) > 0"))
                .contains("reads the check of domain ").contains("which calls sm_eq");
        assertThat(sequence()).isZero();
        Migration ordinary = withChecks("kit_ordinary", List.of(check("SELECT count(*) FROM action_invariants WHERE id = 1", 1)), List.of());
        assertThat(safeMigrate().plan(List.of(ordinary)).migrations()).singleElement()
                .satisfies(m -> assertThat(m.status()).isEqualTo("pending"));
    }

    @Test
    void aForeignTableIsRefused() throws Exception {
        String schema = (String) Fixture.query(dataSource, "SELECT current_schema() s").get(0).get("s");
        boolean installed = Fixture.count(dataSource, "SELECT count(*) FROM pg_extension WHERE extname = 'postgres_fdw'") == 1;
        if (!installed) {
            Fixture.execute(dataSource, "CREATE EXTENSION postgres_fdw SCHEMA \"" + schema + "\"");
        }
        String server = "sm_srv_" + schema;
        try {
            Fixture.execute(dataSource, "CREATE SERVER \"" + server + "\" FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'test')",
                    "CREATE FOREIGN TABLE sm_remote (id int) SERVER \"" + server + "\"");
            assertThat(refusedEverywhere("SELECT count(*) FROM sm_remote")).allSatisfy(m -> assertThat(m).contains("reads the foreign table"));
        } finally {
            Fixture.execute(dataSource, "DROP SERVER IF EXISTS \"" + server + "\" CASCADE");
        }
    }

    /** Functions PostgreSQL marks stable or immutable are allowed: checks keep their ordinary tools. */
    @Test
    void stableAndImmutableBuiltInsAreAllowed() throws Exception {
        Migration migration = withChecks("kit_builtins", List.of(
                check("SELECT count(*) FROM action_invariants WHERE created_at < now() AND date_trunc('day', created_at) <= created_at"
                        + " AND to_char(id, 'FM999') <> '' AND regexp_replace(action_name, '_', '-') <> '' AND current_setting('work_mem') <> ''", 260),
                check("SELECT count(*) FROM (SELECT string_agg(action_name, ',') AS s, array_agg(id) AS a, jsonb_agg(position) AS j"
                        + " FROM action_invariants) x WHERE length(x.s) > 0 AND cardinality(x.a) = 260 AND jsonb_array_length(x.j) = 260", 1),
                check("SELECT count(*) FROM generate_series(1, 3) g(n) WHERE n::text <> ''", 3)), List.of());
        assertThat(safeMigrate().plan(List.of(migration)).migrations()).singleElement().satisfies(m -> assertThat(m.status()).isEqualTo("pending"));
    }

    /**
     * With the policy switched off, the runtime alone: a check that writes fails on the read-only
     * transaction (outside the run) or on {@code SET LOCAL transaction_read_only} in its savepoint
     * (inside), and nothing it did is left.
     */
    @Test
    void withoutThePolicyTheReadOnlyTransactionStillStopsWrites() throws Exception {
        Fixture.execute(dataSource, "CREATE FUNCTION sm_insert() RETURNS int LANGUAGE plpgsql AS"
                + " $$ BEGIN INSERT INTO app_orders (item) VALUES ('from a check'); RETURN 1; END $$");
        var unguarded = unguarded(PostgresUnguardedModule.NAME);
        for (String sql : List.of("SELECT sm_insert()", "SELECT setval('sm_seq', 120)")) {
            String plan = failure(ExitCode.FAILED_RESTORED, () -> unguarded.plan(List.of(withChecks("kit_check", List.of(check(sql, 1)), List.of()))))
                    .getMessage();
            assertThat(plan).contains("precondition at " + LOCATION).contains("could not run").contains("read-only transaction");
            String migrate = failure(ExitCode.FAILED_RESTORED, () -> unguarded.migrate(List.of(withChecks("kit_check", List.of(), List.of(check(sql, 1))))))
                    .getMessage();
            assertThat(migrate).contains("postcondition at " + LOCATION).contains("read-only transaction");
            assertThat(historyStatus("kit_check")).isEqualTo("rolled_back");
        }
        assertThat(Fixture.count(dataSource, "SELECT count(*) FROM app_orders")).isEqualTo(3);
        assertThat(sequence()).isZero();
        assertThat(invariants()).isEqualTo(invariantsBefore);
    }
}
