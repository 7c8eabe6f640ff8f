package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code nulls: equal} where the database can enforce it (NULLS NOT DISTINCT); refused with
 * exit 3, touching nothing, where it cannot — never silently approximated.
 */
public abstract class NullsKit extends KitSupport {

    private boolean databaseEnforcesNullsNotDistinct() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            DatabaseInfo info = new DatabaseInfo(meta.getDatabaseProductName(), meta.getDatabaseProductVersion(),
                    meta.getDatabaseMajorVersion(), meta.getDatabaseMinorVersion());
            return Extensions.load().dialectFor(connection, info, Optional.empty()).supportsNullsNotDistinct(info);
        }
    }

    private static Migration nullsEqualMigration() {
        var dedupe = new DedupeStep(TableName.parse("tags"), List.of("name", "scope"), List.of(), NullsMode.EQUAL, true, List.of());
        var unique = new AddUniqueStep(TableName.parse("tags"), "uq_tags_equal", List.of("name", "scope"), null);
        return migration("kit_nulls_equal", Guards.DEFAULT, List.of(), List.of(), dedupe, unique);
    }

    @Test
    void nullsEqualDedupesNullKeysAndEnforcesThemOrIsRefused() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE tags (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20), scope VARCHAR(20))",
                "INSERT INTO tags (id, name, scope) VALUES (1, 'a', NULL), (2, 'a', NULL), (3, 'a', 'x'), (4, 'b', NULL), (5, NULL, NULL), (6, NULL, NULL)");
        List<Map<String, Object>> before = Fixture.rows(dataSource, "tags", "id");

        if (!databaseEnforcesNullsNotDistinct()) {
            String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(nullsEqualMigration()))).getMessage();
            assertThat(message).contains("NULLS NOT DISTINCT");
            assertThat(Fixture.rows(dataSource, "tags", "id")).isEqualTo(before);
            assertThat(archiveTables()).isEmpty();
            return;
        }
        safeMigrate().migrate(List.of(nullsEqualMigration()));

        assertThat(Fixture.rows(dataSource, "tags", "id")).extracting(r -> ((Number) r.get("id")).longValue()).containsExactly(1L, 3L, 4L, 5L);
        assertThat(Fixture.constraintExists(dataSource, "uq_tags_equal")).isTrue();
        assertThatThrownBy(() -> Fixture.execute(dataSource, "INSERT INTO tags (id, name, scope) VALUES (7, 'b', NULL)"))
                .isInstanceOf(SQLException.class);
    }

    /** An add_unique with NULLS NOT DISTINCT and no dedupe before it: enforced, or refused before any change. */
    @Test
    void addUniqueAloneWithNullsEqualIsEnforcedOrRefused() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE tags (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20), scope VARCHAR(20))",
                "INSERT INTO tags (id, name, scope) VALUES (1, 'a', NULL), (2, 'b', NULL)");
        var unique = new AddUniqueStep(TableName.parse("tags"), "uq_tags_only", List.of("name", "scope"), NullsMode.EQUAL);
        Migration migration = migration("kit_nulls_unique_only", unique);

        if (!databaseEnforcesNullsNotDistinct()) {
            String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration))).getMessage();
            assertThat(message).contains("uq_tags_only").contains("NULLS NOT DISTINCT");
            assertThat(Fixture.constraintExists(dataSource, "uq_tags_only")).isFalse();
            assertThat(historyStatus("kit_nulls_unique_only")).isNull();
            return;
        }
        safeMigrate().migrate(List.of(migration));

        assertThat(Fixture.constraintExists(dataSource, "uq_tags_only")).isTrue();
        assertThatThrownBy(() -> Fixture.execute(dataSource, "INSERT INTO tags (id, name, scope) VALUES (3, 'a', NULL)"))
                .isInstanceOf(SQLException.class);
    }
}
