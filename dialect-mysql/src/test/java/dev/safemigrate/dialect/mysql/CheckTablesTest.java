package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.dialect.mysql.CheckTables.Reference;
import org.junit.jupiter.api.Test;

/** Which tables, under which names, a user check reads: what {@link MysqlTableLocks} must lock. Database-free. */
class CheckTablesTest {
    @Test
    void specPostconditionReadsBothTablesUnderTheirAliases() {
        assertThat(CheckTables.of("SELECT count(*) FROM invariant_checks c LEFT JOIN action_invariants a ON a.id = c.invariant_id WHERE a.id IS NULL"))
                .containsExactly(new Reference(null, "invariant_checks", "c"), new Reference(null, "action_invariants", "a"));
    }

    @Test
    void commaJoinsSubqueriesSchemasQuotedNamesAndAs() {
        assertThat(CheckTables.of("SELECT COUNT(*) FROM `order` AS o, app.items, t3 x WHERE o.id IN (SELECT item_id FROM refs)"
                + " AND EXISTS (SELECT 1 FROM refs r2 WHERE r2.id = o.id)"))
                .containsExactly(new Reference(null, "order", "o"), new Reference("app", "items", null), new Reference(null, "t3", "x"),
                        new Reference(null, "refs", null), new Reference(null, "refs", "r2"));
    }

    @Test
    void functionFromStringsCommentsDerivedTablesAndCtesAreNotTables() {
        assertThat(CheckTables.of("WITH recent (id) AS (SELECT id FROM events WHERE EXTRACT(YEAR FROM created) = 2025)"
                + " SELECT count(*) /* FROM ghost */ FROM recent JOIN (SELECT TRIM(LEADING 'x' FROM name) n, id FROM people) p ON p.id = recent.id"
                + " WHERE 'FROM nowhere' <> '' -- FROM comment\n AND 1 = (SELECT 1 FROM DUAL)"))
                .containsExactly(new Reference(null, "events", null), new Reference(null, "people", null));
    }

    @Test
    void whatCannotBeReadWithCertaintyIsRefused() {
        for (String sql : new String[] {"SELECT count(*) FROM (a JOIN b ON a.id = b.id)",
                "SELECT count(*) FROM JSON_TABLE('[]', '$[*]' COLUMNS (x INT PATH '$')) j", "SELECT count(*) FROM (SELECT 1"}) {
            assertThatThrownBy(() -> CheckTables.of(sql)).as(sql).isInstanceOf(SafeMigrateException.class)
                    .satisfies(e -> assertThat(((SafeMigrateException) e).exitCode()).isEqualTo(ExitCode.REFUSED))
                    .hasMessageContaining("cannot tell which tables");
        }
    }

    @Test
    void aLateralDerivedTableIsReadLikeAnyOtherSubquery() {
        assertThat(CheckTables.of("SELECT count(*) FROM a, LATERAL (SELECT max(v) m FROM b WHERE b.a_id = a.id) l WHERE l.m IS NULL"))
                .containsExactly(new Reference(null, "a", null), new Reference(null, "b", null));
    }

    @Test
    void eachUnreadableShapeIsRefusedSayingWhatCouldNotBeRead() {
        String[][] cases = {
                {"SELECT count(*) FROM a) x", "unbalanced parentheses"},
                {"SELECT count(*) FROM", "FROM or JOIN is not followed by a table"},
                {"SELECT count(*) FROM 'a'", "a string or number where a table name was expected"},
                {"SELECT count(*) FROM a JOIN * ON 1 = 1", "'*' where a table name was expected"},
                {"WITH r AS (SELECT 1), (x) AS (SELECT 2) SELECT count(*) FROM r", "a column list not preceded by a name"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> CheckTables.of(c[0])).as(c[0]).isInstanceOf(SafeMigrateException.class)
                    .satisfies(e -> assertThat(((SafeMigrateException) e).exitCode()).isEqualTo(ExitCode.REFUSED))
                    .hasMessageContaining("cannot tell which tables the check (" + c[0] + ") reads: " + c[1]);
        }
    }
}
