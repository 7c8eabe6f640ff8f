package dev.safemigrate.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.KeyGuard;
import dev.safemigrate.core.spi.ResolvedTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard installed by a run whose schema is its default still serves writers whose search path does not hold that schema. */
class PostgresKeyGuardSearchPathTest extends PostgresTestSupport {
    @Test
    void aWriterWithAnotherSearchPathIsGuardedNotBroken() throws Exception {
        Fixture.seed(dataSource);
        PostgresDialect dialect = new PostgresDialect();
        KeyGuard guard = dialect.keyGuard().orElseThrow();
        String schema;
        try (Connection connection = dataSource.getConnection()) {
            schema = connection.getSchema();
            ResolvedTable table = dialect.catalog(connection).table(TableName.parse("action_invariants")).orElseThrow();
            Fixture.execute(dataSource, guard.install(table, List.of("action_name", "position"), false, "sm_guard_path").toArray(String[]::new));
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = public");
            String table = "\"" + schema + "\".action_invariants";
            statement.execute("INSERT INTO " + table + " (id, action_name, position) VALUES (5000, 'elsewhere', 1)");
            assertThatThrownBy(() -> statement.execute("INSERT INTO " + table + " (id, action_name, position) VALUES (5001, 'elsewhere', 1)"))
                    .isInstanceOf(SQLException.class).satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
        }
    }
}
