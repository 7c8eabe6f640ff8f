package dev.safemigrate.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.H2Memory;
import dev.safemigrate.core.kit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The policy of a dialect that declares none: standard functions only, no views. Run against H2 for its metadata. */
class StandardCheckPolicyTest {
    @Test
    void onlyStandardFunctionsAndNoViews() throws Exception {
        try (TestDatabase database = H2Memory.open("standard_policy", ""); Connection connection = database.dataSource().getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10))");
                statement.execute("CREATE VIEW v AS SELECT id FROM t");
            }
            CheckPolicy policy = CheckPolicy.STANDARD;
            assertThat(policy.refusals(CheckSql.read("WITH x (n) AS (SELECT COUNT(*) FROM t) SELECT COALESCE(MAX(n), 0) FROM x"
                    + " WHERE EXISTS (SELECT 1 FROM t WHERE LOWER(name) IN ('a') AND CHAR_LENGTH(TRIM(name)) > 0)"), connection)).isEmpty();
            assertThat(policy.refusals(CheckSql.read("SELECT COUNT(*) FROM t WHERE SLEEP(1) = 0 AND app.lower(name) = ''"), connection))
                    .singleElement().asString().contains("calls SLEEP, app.lower, which this dialect does not declare harmless");
            assertThat(policy.refusals(CheckSql.read("SELECT COUNT(*) FROM v"), connection))
                    .singleElement().asString().contains("reads the view v, whose definition this dialect cannot show");
            assertThat(policy.definitions(CheckSql.read("SELECT COUNT(*) FROM v"), connection)).isEmpty();
            assertThat(policy.readOnlyStatement(true)).isNull();
        }
    }
}
