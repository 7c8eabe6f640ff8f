package dev.safemigrate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rules file read by this module runs on a real database (H2): what the engine gets is complete. */
class RulesEndToEndTest {
    @Test
    void aRulesFileDedupesAndAddsTheConstraint(@TempDir Path dir) throws IOException, SQLException {
        Files.writeString(dir.resolve("a1.yaml"), """
                id: a1_person_unique
                steps:
                  - dedupe:
                      table: person
                      key: [name]
                  - add_unique: {table: person, name: uq_person_name, columns: [name]}
                preconditions:
                  - {sql: SELECT count(*) FROM person, expect: {min: 1}}
                postconditions:
                  - {sql: SELECT count(*) FROM person, expect: 2}
                """);
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:rules_e2e;DB_CLOSE_DELAY=-1");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE person (id INT PRIMARY KEY, name VARCHAR(50))");
            statement.execute("INSERT INTO person VALUES (1, 'ann'), (2, 'bob'), (3, 'ann')");

            MigrationReport report = SafeMigrate.builder().dataSource(dataSource).build().migrate(Rules.load(dir));

            assertThat(report.migrations()).singleElement().satisfies(result -> {
                assertThat(result.id()).isEqualTo("a1_person_unique");
                assertThat(result.outcome()).isEqualTo("applied");
            });
            try (ResultSet rows = statement.executeQuery("SELECT id FROM person ORDER BY id")) {
                assertThat(rows.next() && rows.getInt(1) == 1 && rows.next() && rows.getInt(1) == 2 && !rows.next()).isTrue();
            }
            statement.execute("SHUTDOWN");
        }
    }
}
