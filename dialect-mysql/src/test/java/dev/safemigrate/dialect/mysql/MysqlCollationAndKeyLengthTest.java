package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.VerifyReport;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks that agree with the column collation, and the index key length refused before any change. */
class MysqlCollationAndKeyLengthTest extends KitSupport {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    private static DedupeStep dedupeNames() {
        return new DedupeStep(TableName.parse("people"), List.of("name"), List.of(), NullsMode.DISTINCT, true, List.of());
    }

    private static AddUniqueStep uniqueNames() {
        return new AddUniqueStep(TableName.parse("people"), "uq_people_name", List.of("name"), null);
    }

    @Test
    void caseAndTrailingSpacesUnderPadSpaceCollationAreDuplicatesBeforeTheConstraintSaysSo() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL)",
                "INSERT INTO people (id, name) VALUES (1, 'Abc'), (2, 'abc '), (3, 'ABC'), (4, 'other'), (5, 'Other  '), (6, 'a'), (7, 'b'), (8, 'c'), (9, 'd')");
        var migration = migration("my_collation", dedupeNames(), uniqueNames());

        VerifyReport verify = safeMigrate().verify(List.of(migration));

        assertThat(verify.holds()).isFalse();
        assertThat(verify.violations().get(0).result().count()).isEqualTo(2);
        assertThatThrownBy(() -> Fixture.execute(dataSource, "ALTER TABLE people ADD CONSTRAINT uq_probe UNIQUE (name)"))
                .as("the constraint itself rejects these rows").isInstanceOf(SQLIntegrityConstraintViolationException.class);

        safeMigrate().migrate(List.of(migration));

        assertThat(Fixture.rows(dataSource, "people", "id")).extracting(r -> r.get("name")).containsExactly("Abc", "other", "a", "b", "c", "d");
        assertThat(archived("people")).extracting(r -> r.get("name")).containsExactly("abc ", "ABC", "Other  ");
        assertThat(Fixture.constraintExists(dataSource, "uq_people_name")).isTrue();
        assertThat(safeMigrate().verify(List.of(migration)).holds()).isTrue();
    }

    @Test
    void indexKeyOverInnoDbLimitIsRefusedAndNothingChanges() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE docs (id INT PRIMARY KEY, a VARCHAR(1000) CHARACTER SET utf8mb4, b VARCHAR(1000) CHARACTER SET utf8mb4)",
                "INSERT INTO docs (id, a, b) VALUES (1, 'x', 'y'), (2, 'x', 'y'), (3, 'z', 'y')");
        List<Map<String, Object>> before = Fixture.rows(dataSource, "docs", "id");
        var dedupe = new DedupeStep(TableName.parse("docs"), List.of("a", "b"), List.of(), NullsMode.DISTINCT, true, List.of());
        var unique = new AddUniqueStep(TableName.parse("docs"), "uq_docs_ab", List.of("a", "b"), null);

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration("my_key_length", dedupe, unique)))).getMessage();

        System.out.println("key length refusal: " + message);
        assertThat(message).contains("uq_docs_ab").contains("8000 bytes").contains("3072");
        assertThat(Fixture.rows(dataSource, "docs", "id")).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
        assertThat(Fixture.constraintExists(dataSource, "uq_docs_ab")).isFalse();
    }
}
