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

    /**
     * Each type's bytes as MariaDB counts them: a key of exactly 3072 bytes, a latin1 VARCHAR filling what the typed
     * column leaves, must be accepted and built as a B-tree. Counting a type too large refuses a key the database
     * takes; counting it too small lets MariaDB silently build a hash index instead (what the refusal exists to prevent).
     */
    @Test
    void keyOfExactlyTheInnoDbLimitIsAcceptedAndBuiltAsABtreeForEveryColumnType() throws Exception {
        Map<String, Integer> bytes = new java.util.LinkedHashMap<>();
        bytes.put("TINYINT", 1);
        bytes.put("YEAR", 1);
        bytes.put("SMALLINT", 2);
        bytes.put("MEDIUMINT", 3);
        bytes.put("DATE", 3);
        bytes.put("INT", 4);
        bytes.put("FLOAT", 4);
        bytes.put("BIGINT", 8);
        bytes.put("DOUBLE", 8);
        bytes.put("TIME", 3);
        bytes.put("TIME(6)", 6);
        bytes.put("TIMESTAMP(2)", 5);
        bytes.put("TIMESTAMP(6)", 7);
        bytes.put("DATETIME", 5);
        bytes.put("DATETIME(3)", 7);
        bytes.put("DECIMAL(10,2)", 5);
        bytes.put("DECIMAL(65,30)", 30);
        bytes.put("ENUM('a','b,c','it''s')", 1);
        bytes.put("SET('a','b','c','d','e','f','g','h','i')", 2);
        bytes.put("BIT(17)", 3);
        bytes.put("BINARY(10)", 10);
        bytes.put("UUID", 16);
        bytes.put("INET6", 16);
        bytes.put("INET4", 4);
        bytes.put("VARCHAR(1000) CHARACTER SET utf8mb3", 3000);
        bytes.put("CHAR(200) CHARACTER SET ucs2", 400);
        bytes.put("VARCHAR(700) CHARACTER SET utf8mb4", 2800);
        List<AddUniqueStep> steps = new java.util.ArrayList<>();
        for (Map.Entry<String, Integer> type : bytes.entrySet()) {
            String table = "k" + (steps.size() + 1);
            Fixture.execute(dataSource, "CREATE TABLE " + table + " (id INT PRIMARY KEY, a VARCHAR(" + (KeyLength.INNODB_MAX_KEY_BYTES - type.getValue())
                    + ") CHARACTER SET latin1, x " + type.getKey() + ")");
            steps.add(new AddUniqueStep(TableName.parse(table), "uq_" + table, List.of("a", "x"), null));
        }

        safeMigrate().migrate(List.of(migration("my_key_bytes", steps.toArray(AddUniqueStep[]::new))));

        int n = 0;
        for (Map.Entry<String, Integer> type : bytes.entrySet()) {
            assertThat(Fixture.query(dataSource, "SELECT index_type FROM information_schema.statistics WHERE table_schema = DATABASE()"
                    + " AND index_name = 'uq_k" + ++n + "'")).as(type.getKey() + " counted as " + type.getValue() + " bytes")
                    .extracting(r -> r.get("index_type")).containsExactly("BTREE", "BTREE");
        }
    }

    @Test
    void keyOneByteOverTheLimitIsRefusedAndWouldHaveBeenAHashIndex() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE slots (id INT PRIMARY KEY, a VARCHAR(3066) CHARACTER SET latin1, at TIMESTAMP(6) NULL)",
                "INSERT INTO slots (id, a, at) VALUES (1, 'x', NULL), (2, 'x', NULL)");
        List<Map<String, Object>> before = Fixture.rows(dataSource, "slots", "id");
        var unique = new AddUniqueStep(TableName.parse("slots"), "uq_slots", List.of("a", "at"), null);

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration("my_key_over", unique)))).getMessage();

        assertThat(message).contains("uq_slots").contains("3073 bytes").contains("at timestamp(6) = 7");
        assertThat(Fixture.rows(dataSource, "slots", "id")).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, "uq_slots")).isFalse();
        Fixture.execute(dataSource, "CREATE UNIQUE INDEX uq_probe ON slots (a, at)");
        assertThat(Fixture.query(dataSource, "SELECT DISTINCT index_type FROM information_schema.statistics WHERE table_schema = DATABASE()"
                + " AND index_name = 'uq_probe'")).extracting(r -> r.get("index_type")).containsExactly("HASH");
    }

    @Test
    void textColumnInAUniqueKeyIsRefusedBeforeAnyChange() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)", "INSERT INTO notes (id, body) VALUES (1, 'a'), (2, 'b')");
        var unique = new AddUniqueStep(TableName.parse("notes"), "uq_notes_body", List.of("body"), null);

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration("my_key_text", unique)))).getMessage();

        assertThat(message).contains("column body is text").contains("cannot cover in full");
        assertThat(Fixture.constraintExists(dataSource, "uq_notes_body")).isFalse();
        assertThat(historyStatus("my_key_text")).isNull();
    }
}
