package dev.safemigrate.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.CheckSql.Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The text rules every check obeys on every database, and what they hand to a dialect's policy. Database-free. */
class CheckSqlTest {
    private static void refused(String sql, String... expected) {
        assertThatThrownBy(() -> CheckSql.read(sql)).as(sql).isInstanceOf(SafeMigrateException.class)
                .satisfies(e -> assertThat(((SafeMigrateException) e).exitCode()).isEqualTo(ExitCode.INVALID))
                .hasMessageContainingAll(expected);
    }

    /** Statements that change something, named by the word that gives them away and where it stands. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "WITH x AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM x | character 12 ('DELETE')",
        "SELECT COUNT(*) FROM OLD TABLE (DELETE FROM victim)         | ('DELETE')",
        "SELECT COUNT(*) FROM FINAL TABLE (INSERT INTO t VALUES (1))  | ('INSERT')",
        "WITH u AS (UPDATE t SET a = 1 RETURNING a) SELECT 1          | ('UPDATE')",
        "SELECT * INTO new_table FROM t                               | ('INTO')",
        "SELECT 1 INTO OUTFILE '/tmp/x'                               | ('INTO')",
        "SELECT 1 FROM t FOR UPDATE                                   | ('FOR UPDATE'), lock rows",
        "SELECT 1 FROM t FOR SHARE                                    | ('FOR SHARE')",
        "SELECT 1 FROM t FOR NO KEY UPDATE                            | ('FOR NO')",
        "SELECT 1 FROM t FOR KEY SHARE                                | ('FOR KEY')",
        "SELECT 1 FROM t LOCK IN SHARE MODE                           | ('LOCK')",
        "SELECT NEXT VALUE FOR s                                      | ('NEXT VALUE'), sequence",
        "SELECT SET(@x, 1)                                            | ('SET'), settings or variables",
        "SELECT 1 FROM t WHERE 1 = (SELECT 1 FROM (SELECT 1) x) AND copy = 1 | ('copy')",
        "SELECT CALL                                                  | ('CALL')",
        "SELECT 1 FROM t PROCEDURE ANALYSE()                          | ('PROCEDURE')",
        "WITH m AS (MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE) SELECT 1 | ('MERGE')",
        "SELECT 1 FROM t WHERE lock = 1                               | ('lock'), quote it",
    })
    void wordsThatChangeSomethingAreRefused(String sql, String expected) {
        refused(sql.strip(), expected.strip().split(", "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE FROM t", "UPDATE t SET a = 1", "CALL p()", "SET search_path = x", "COPY t TO PROGRAM 'x'",
        "RUNSCRIPT FROM '/tmp/x.sql'", "EXPLAIN ANALYZE DELETE FROM t", "  ", "VALUES (1)", "(SELECT 1)"})
    void onlySelectAndWithMayStartACheck(String sql) {
        refused(sql, "a check must be a single SELECT");
    }

    @Test
    void oneStatementOnly() {
        refused("SELECT 1; DROP TABLE t", "a check must be a single SELECT", "';' at character 9");
        assertThat(CheckSql.read("SELECT 1 ;  -- done").statement()).isEqualTo("SELECT 1");
        assertThat(CheckSql.read("-- why\nSELECT count(*) /* all */ FROM t;").statement()).isEqualTo("-- why\nSELECT count(*) /* all */ FROM t");
    }

    /** Text that two databases, or two settings of one, would read differently is refused rather than guessed at. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "SELECT 'a\\' , GET_LOCK(''x'', 0) -- '       | ('\\'), backslash",
        "SELECT \"a\\\" FROM t                          | ('\\')",
        "SELECT E'\\x41'                               | ('E'')",
        "SELECT U&\"!0073etval\" UESCAPE '!' ('s', 1)   | ('U&\"'), not the one written",
        "SELECT u&'d!0061t!+000061' UESCAPE '!'        | ('u&'')",
        "SELECT /*! GET_LOCK('x', 0) */ 1              | ('/*! '), MySQL runs the text",
        "SELECT /*M!100000 SLEEP(5) */ 1               | ('/*M!')",
        "SELECT /*+ SET_VAR(sort_buffer_size = 1) */ 1 | ('/*+ ')",
        "SELECT /* a /* b */ GET_LOCK('x', 0) */ 1     | character 13 ('/*'), inside a comment",
        "SELECT 1 # comment                            | ('#')",
        "SELECT 1 --1 + GET_LOCK('x', 0)               | ('--1'), two minus signs",
        "SELECT $$x$$                                  | ('$')",
        "SELECT $1                                     | ('$')",
        "SELECT {fn user()}                            | ('{')",
        "SELECT 1 \\ 2                                 | ('\\'), a backslash outside a string",
        "SELECT @x := 1                                | (':='), variable",
        "SELECT 1e5sleep(1)                            | ('1e5sleep'), number run into letters",
        "SELECT 'open                                  | not closed",
        "SELECT 1 /* open                              | not closed",
    })
    void ambiguousTextIsRefused(String sql, String expected) {
        refused(sql.strip(), expected.strip().split(", "));
    }

    @Test
    void controlCharactersAreRefusedAndOtherUnicodeIsPartOfAName() {
        refused("SELECT 1\u000bFROM t", "control characters");
        assertThat(CheckSql.read("SELECT x\u00a0sleep(1)").functionCalls()).containsExactly(new Name(null, "x\u00a0sleep"));
        assertThat(CheckSql.read("SELECT größe FROM maße").names()).extracting(Name::name).containsExactly("SELECT", "größe", "FROM", "maße");
    }

    /** Ordinary checks are not refused: a false refusal is a defect too. */
    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT count(*) FROM invariant_checks c LEFT JOIN action_invariants a ON a.id = c.invariant_id WHERE a.id IS NULL",
        "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT sum(n) FROM r",
        "SELECT CASE WHEN COALESCE(max(x), 0) > 1 THEN 1 ELSE 0 END FROM t WHERE LOWER(name) LIKE 'a%' AND name <> ''",
        "SELECT count(*) FROM (SELECT row_number() OVER (PARTITION BY a ORDER BY b) rn FROM t) x WHERE rn > 1",
        "SELECT count(*) FROM \"Order\" o JOIN `items` i ON i.o = o.id WHERE o.note = 'it''s' AND o.created < CURRENT_TIMESTAMP",
        "SELECT count(*) FILTER (WHERE a > 0) FROM t",
        "SELECT REPLACE(name, 'a', 'b'), TRUNCATE(1.25, 1), INSERT('abc', 1, 1, 'x') FROM t",
        "SELECT count(*) FROM t WHERE updated_at < now() - INTERVAL '1 day' AND x::int > -1 AND y = .5e-3 AND z = 0x1F",
        "SELECT count(*) FROM t WHERE a = 1 -- trailing comment",
        "SELECT count(*) FROM t WHERE tags @> ARRAY['a'] AND j ->> 'k' = 'v'",
        "SELECT 1 FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2020-01-01 00:00:00'",
    })
    void ordinaryChecksAreAccepted(String sql) {
        assertThat(CheckSql.read(sql).tokens()).isNotEmpty();
    }

    @Test
    void functionCallsLeaveOutAliasesTypesClausesAndCteColumnLists() {
        CheckSql sql = CheckSql.read("WITH recent (id) AS (SELECT id FROM events), w AS (SELECT 1) SELECT count(*) FILTER (WHERE app.f(x) > 0)"
                + " OVER (), CAST(a AS VARCHAR(10)), \"Quoted\"(1), pg_catalog.setval('s', 1) FROM generate_series(1, 3) g(n), recent"
                + " WHERE EXISTS (SELECT 1) AND n IN (1) AND sleep (1) = 0");
        assertThat(sql.functionCalls()).containsExactly(new Name(null, "AS"), new Name(null, "count"), new Name("app", "f"), new Name(null, "CAST"),
                new Name(null, "Quoted"), new Name("pg_catalog", "setval"), new Name(null, "generate_series"), new Name(null, "EXISTS"),
                new Name(null, "IN"), new Name(null, "sleep"));
    }

    @Test
    void namesCarryTheirQualifierAndOperatorsAreRuns() {
        CheckSql sql = CheckSql.read("SELECT s.t.c FROM s.t WHERE a <=> b OR a === -1");
        assertThat(sql.names()).contains(new Name(null, "s"), new Name("s", "t"), new Name("t", "c"));
        assertThat(sql.operators()).containsExactly("<=>", "===", "-");
    }
}
