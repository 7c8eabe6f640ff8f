package dev.safemigrate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.UndoReport;
import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.rules.Rules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs {@code examples/action_invariants} exactly as a user would: the database's schema-and-data
 * script, then every rules file in {@code migrations/} through the library, on H2, PostgreSQL and
 * MariaDB/MySQL, each in a database (or schema) of its own that is dropped afterwards. Checks the exact
 * surviving rows, the repointed child rows, the renumbered positions and the constraints; then undoes
 * both migrations, newest first, and checks every table is back to the seeded rows, value by value.
 */
class ActionInvariantsExampleTest {
    static final Path EXAMPLE = locate();
    static final Path MIGRATIONS = EXAMPLE.resolve("migrations");
    static final String INVARIANTS_ID = "a5_006_action_invariants_unique";
    static final String ARGUMENTS_ID = "a5_007_action_arguments_unique";
    static final List<String> TABLES = List.of("action_invariants", "invariant_checks", "action_arguments");

    // ---- the seeded rows (the same in postgres.sql, mariadb.sql and h2.sql) ----

    static final List<String> SEEDED_INVARIANTS = List.of(
            "1|deploy|0|replicas >= 1",
            "2|deploy|1|image is signed",
            "3|deploy|0|replicas >= 1",
            "4|rollback|0|previous release exists",
            "5|deploy|1|image signed",
            "6|rollback|1|schema is backward compatible",
            "7|rollback|0|null",
            "8|deploy|0|replicas > 0",
            "9|scale|0|replicas <= 50",
            "10|scale|2|budget approved",
            "11|rollback|2|null");
    static final List<String> SEEDED_CHECKS = List.of(
            "100|1|pass|2025-01-10T09:00",
            "101|3|pass|2025-01-10T09:00:01",
            "102|5|fail|2025-01-10T09:00:02",
            "103|8|pass|null",
            "104|7|pass|2025-01-11T10:30",
            "105|9|pass|2025-01-11T10:30:01",
            "106|2|pass|2025-01-11T10:30:02",
            "107|8|fail|2025-01-12T08:15");
    static final List<String> SEEDED_ARGUMENTS = List.of(
            "1|deploy|target|0|string",
            "2|deploy|version|2|string",
            "3|deploy|target|5|string",
            "4|deploy|force|7|boolean",
            "5|rollback|target|1|string",
            "6|rollback|to_version|1|string",
            "7|rollback|target|3|string",
            "8|scale|replicas|10|int",
            "9|scale|target|4|string",
            "10|deploy|version|1|string",
            "11|scale|wait|4|boolean",
            "12|deploy|dry_run|7|boolean",
            "13|restart|grace|0|duration",
            "14|restart|signal|1|string",
            "15|scale|target|4|string");

    // ---- the rows after both migrations ----

    /** The lowest id of each (action_name, position) survives; 3 and 8 were duplicates of 1, 5 of 2, 7 of 4. */
    static final List<String> MIGRATED_INVARIANTS = List.of(
            "1|deploy|0|replicas >= 1",
            "2|deploy|1|image is signed",
            "4|rollback|0|previous release exists",
            "6|rollback|1|schema is backward compatible",
            "9|scale|0|replicas <= 50",
            "10|scale|2|budget approved",
            "11|rollback|2|null");
    /** Checks of a deleted duplicate now point at its survivor: 101, 103, 107 -> 1; 102 -> 2; 104 -> 4. Nothing else changed. */
    static final List<String> MIGRATED_CHECKS = List.of(
            "100|1|pass|2025-01-10T09:00",
            "101|1|pass|2025-01-10T09:00:01",
            "102|2|fail|2025-01-10T09:00:02",
            "103|1|pass|null",
            "104|4|pass|2025-01-11T10:30",
            "105|9|pass|2025-01-11T10:30:01",
            "106|2|pass|2025-01-11T10:30:02",
            "107|1|fail|2025-01-12T08:15");
    /**
     * The lowest id of each (action_name, name) survives (3, 10, 7 and 15 are deleted; 10 despite its lower
     * position), then positions run 0, 1, ... within each action_name in (position, id) order.
     */
    static final List<String> MIGRATED_ARGUMENTS = List.of(
            "1|deploy|target|0|string",
            "2|deploy|version|1|string",
            "4|deploy|force|2|boolean",
            "5|rollback|target|0|string",
            "6|rollback|to_version|1|string",
            "8|scale|replicas|2|int",
            "9|scale|target|0|string",
            "11|scale|wait|1|boolean",
            "12|deploy|dry_run|3|boolean",
            "13|restart|grace|0|duration",
            "14|restart|signal|1|string");

    static final String INVARIANTS_UNIQUE = "UNIQUE uq_action_invariants_action_position on action_invariants (action_name, position)";
    static final String ARGUMENTS_UNIQUE = "UNIQUE uq_action_arguments_action_name on action_arguments (action_name, name)";

    @ParameterizedTest
    @EnumSource(Databases.class)
    void runsOnEachDatabase(Databases server) throws Exception {
        String currentSchema = switch (server) {
            case H2 -> "CURRENT_SCHEMA";
            case POSTGRES -> "current_schema()";
            case MARIADB -> "DATABASE()";
        };
        String script = switch (server) {
            case H2 -> "h2.sql";
            case POSTGRES -> "postgres.sql";
            case MARIADB -> "mariadb.sql";
        };
        try (TestDatabase db = server.create("sm_example_action_invariants_" + suffix())) {
            runExample(db.dataSource(), script, currentSchema);
        }
    }

    /** Seed, migrate, check, migrate again (nothing to do), undo both, check the data is as seeded. */
    private static void runExample(DataSource dataSource, String script, String currentSchema) throws Exception {
        runScript(dataSource, EXAMPLE.resolve(script));
        assertThat(rows(dataSource, "action_invariants")).as("seeded action_invariants").isEqualTo(SEEDED_INVARIANTS);
        assertThat(rows(dataSource, "invariant_checks")).as("seeded invariant_checks").isEqualTo(SEEDED_CHECKS);
        assertThat(rows(dataSource, "action_arguments")).as("seeded action_arguments").isEqualTo(SEEDED_ARGUMENTS);
        Map<String, List<List<Object>>> seeded = exactRows(dataSource);
        List<String> seededConstraints = constraints(dataSource, currentSchema);
        assertThat(seededConstraints).noneMatch(c -> c.startsWith("UNIQUE"));

        SafeMigrate safeMigrate = SafeMigrate.builder().dataSource(dataSource).build();
        List<Migration> migrations = Rules.load(MIGRATIONS);
        assertThat(migrations).extracting(Migration::id).containsExactly(INVARIANTS_ID, ARGUMENTS_ID);

        MigrationReport report = safeMigrate.migrate(migrations);

        assertThat(report.migrations()).extracting(MigrationReport.Result::id).containsExactly(INVARIANTS_ID, ARGUMENTS_ID);
        assertThat(report.migrations()).extracting(MigrationReport.Result::outcome).containsExactly("applied", "applied");
        List<MigrationReport.StepResult> invariantSteps = report.migrations().get(0).steps();
        assertThat(invariantSteps).hasSize(2);
        assertThat(invariantSteps.get(0).outcome().deleted()).as("action_invariants rows deleted").isEqualTo(4);
        assertThat(invariantSteps.get(0).outcome().updated()).as("invariant_checks rows repointed").isEqualTo(5);
        List<MigrationReport.StepResult> argumentSteps = report.migrations().get(1).steps();
        assertThat(argumentSteps).hasSize(3);
        assertThat(argumentSteps.get(0).outcome().deleted()).as("action_arguments rows deleted").isEqualTo(4);
        assertThat(argumentSteps.get(1).outcome().updated()).as("action_arguments positions changed").isEqualTo(7);

        assertThat(rows(dataSource, "action_invariants")).isEqualTo(MIGRATED_INVARIANTS);
        assertThat(rows(dataSource, "invariant_checks")).isEqualTo(MIGRATED_CHECKS);
        assertThat(rows(dataSource, "action_arguments")).isEqualTo(MIGRATED_ARGUMENTS);
        List<String> migratedConstraints = new ArrayList<>(seededConstraints);
        migratedConstraints.add(INVARIANTS_UNIQUE);
        migratedConstraints.add(ARGUMENTS_UNIQUE);
        assertThat(constraints(dataSource, currentSchema)).containsExactlyInAnyOrderElementsOf(migratedConstraints);
        assertThat(statuses(safeMigrate, migrations)).containsExactly(INVARIANTS_ID + "=applied", ARGUMENTS_ID + "=applied");

        MigrationReport again = safeMigrate.migrate(Rules.load(MIGRATIONS));
        assertThat(again.migrations()).extracting(MigrationReport.Result::outcome).containsOnly("already_applied");
        assertThat(rows(dataSource, "action_arguments")).isEqualTo(MIGRATED_ARGUMENTS);

        UndoReport undoArguments = safeMigrate.undo(ARGUMENTS_ID);
        assertThat(undoArguments.objectsDropped()).isEqualTo(1);
        assertThat(rows(dataSource, "action_arguments")).isEqualTo(SEEDED_ARGUMENTS);
        assertThat(rows(dataSource, "action_invariants")).isEqualTo(MIGRATED_INVARIANTS);
        UndoReport undoInvariants = safeMigrate.undo(INVARIANTS_ID);
        assertThat(undoInvariants.objectsDropped()).isEqualTo(1);

        assertThat(exactRows(dataSource)).as("every table, value by value and type by type, after undo").isEqualTo(seeded);
        assertThat(rows(dataSource, "action_invariants")).isEqualTo(SEEDED_INVARIANTS);
        assertThat(rows(dataSource, "invariant_checks")).isEqualTo(SEEDED_CHECKS);
        assertThat(rows(dataSource, "action_arguments")).isEqualTo(SEEDED_ARGUMENTS);
        assertThat(constraints(dataSource, currentSchema)).containsExactlyInAnyOrderElementsOf(seededConstraints);
        assertThat(statuses(safeMigrate, migrations)).containsExactly(INVARIANTS_ID + "=undone", ARGUMENTS_ID + "=undone");
    }

    // ---- reading the database ----

    /** The rows of {@code table} by id, each as its values joined with '|'; timestamps as ISO local date-times. */
    static List<String> rows(DataSource dataSource, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (List<Object> row : query(dataSource, "SELECT * FROM " + table + " ORDER BY id")) {
            rows.add(row.stream().map(ActionInvariantsExampleTest::text).collect(Collectors.joining("|")));
        }
        return rows;
    }

    private static String text(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toString();
        }
        return String.valueOf(value);
    }

    /** Every row of every example table, by id, as the driver returns each value (so types count too). */
    static Map<String, List<List<Object>>> exactRows(DataSource dataSource) throws SQLException {
        Map<String, List<List<Object>>> tables = new LinkedHashMap<>();
        for (String table : TABLES) {
            List<List<Object>> rows = new ArrayList<>();
            for (List<Object> row : query(dataSource, "SELECT * FROM " + table + " ORDER BY id")) {
                List<Object> typed = new ArrayList<>();
                for (Object value : row) {
                    typed.add(value == null ? null : value.getClass().getName() + ":" + value);
                }
                rows.add(typed);
            }
            tables.put(table, rows);
        }
        return tables;
    }

    /** The PRIMARY KEY, FOREIGN KEY and UNIQUE constraints of the example tables, as "TYPE name on table (columns)". */
    static List<String> constraints(DataSource dataSource, String currentSchema) throws SQLException {
        String sql = "SELECT tc.constraint_type, tc.constraint_name, tc.table_name, kcu.column_name"
                + " FROM information_schema.table_constraints tc"
                + " JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = tc.constraint_schema"
                + " AND kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name"
                + " WHERE tc.table_schema = " + currentSchema
                + " AND tc.constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY', 'UNIQUE')"
                + " ORDER BY tc.table_name, tc.constraint_name, kcu.ordinal_position";
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (List<Object> row : query(dataSource, sql)) {
            String table = String.valueOf(row.get(2)).toLowerCase(Locale.ROOT);
            if (!TABLES.contains(table)) {
                continue;
            }
            String name = row.get(0) + " " + String.valueOf(row.get(1)).toLowerCase(Locale.ROOT) + " on " + table;
            columns.computeIfAbsent(name, k -> new ArrayList<>()).add(String.valueOf(row.get(3)).toLowerCase(Locale.ROOT));
        }
        return columns.entrySet().stream().map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").toList();
    }

    private static List<String> statuses(SafeMigrate safeMigrate, List<Migration> migrations) {
        return safeMigrate.status(migrations).history().stream()
                .filter(h -> h.id().equals(INVARIANTS_ID) || h.id().equals(ARGUMENTS_ID))
                .map(h -> h.id() + "=" + h.status())
                .sorted()
                .toList();
    }

    private static List<List<Object>> query(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet resultSet = statement.executeQuery()) {
            ResultSetMetaData meta = resultSet.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (resultSet.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(resultSet.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    // ---- setting up ----

    /** Runs a script the way a user would with psql, mariadb or H2's RunScript: statements end with ';' at a line's end. */
    static void runScript(DataSource dataSource, Path script) throws SQLException {
        String text;
        try {
            text = Files.readString(script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String withoutComments = Arrays.stream(text.split("\n"))
                .filter(line -> !line.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : withoutComments.split(";\\s*(\n|$)")) {
                if (!sql.isBlank()) {
                    statement.execute(sql.strip());
                }
            }
        }
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** {@code action_invariants/} from this module's directory (Maven) or from the repository root (an IDE). */
    private static Path locate() {
        for (Path candidate : List.of(Path.of("action_invariants"), Path.of("examples", "action_invariants"))) {
            if (Files.isDirectory(candidate.resolve("migrations"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/action_invariants not found from " + Path.of("").toAbsolutePath());
    }
}
