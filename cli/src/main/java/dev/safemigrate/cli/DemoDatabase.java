package dev.safemigrate.cli;

import dev.safemigrate.core.SafeMigrateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's H2 database: the spec's example tables, seeded with set-based SQL only (no row passes
 * through the JVM), the naive migration, and the counts the demo prints. {@code size} originals get
 * {@code size / 10} duplicates.
 */
final class DemoDatabase implements AutoCloseable {
    static final String CONSTRAINT = "uq_action_invariants_action_position";
    /** The naive migration from the spec, as it ran: no transaction, no checks. */
    static final List<String> NAIVE_MIGRATION = List.of(
            "DELETE FROM naive.action_invariants WHERE id NOT IN (SELECT MIN(id) FROM naive.action_invariants GROUP BY action_name, position)",
            "DELETE FROM naive.action_arguments WHERE id NOT IN (SELECT MIN(id) FROM naive.action_arguments GROUP BY action_name, name)",
            "ALTER TABLE naive.action_invariants ADD CONSTRAINT " + CONSTRAINT + " UNIQUE (action_name, position)",
            "ALTER TABLE naive.action_arguments ADD CONSTRAINT uq_action_arguments_action_name UNIQUE (action_name, name)");

    final String url;
    private final Connection connection;

    /** What the demo shows about one schema's copy of the tables. */
    record Counts(long invariants, long duplicates, long checks, long dangling, boolean constraint) {
        String describe() {
            return "action_invariants " + Text.count(invariants) + " rows (" + Text.count(duplicates) + " duplicates), invariant_checks "
                    + Text.count(checks) + " rows (" + Text.count(dangling) + " pointing at a missing invariant), unique constraint: "
                    + (constraint ? "yes" : "no");
        }
    }

    private DemoDatabase(String url) throws SQLException {
        this.url = url;
        this.connection = DriverManager.getConnection(url);
    }

    /** Opens the database at {@code url}, which must be empty, and seeds it. */
    static DemoDatabase seeded(String url, int size) throws SQLException {
        DemoDatabase database = new DemoDatabase(url);
        database.execute(
                "CREATE TABLE action_invariants (id BIGINT PRIMARY KEY, action_name VARCHAR(64) NOT NULL, position INT NOT NULL,"
                        + " expression VARCHAR(200) NOT NULL, created_at TIMESTAMP NOT NULL)",
                "INSERT INTO action_invariants SELECT X, 'action_' || ((X - 1) / 10), MOD(X - 1, 10), 'arg_' || MOD(X - 1, 3) || ' > ' || X,"
                        + " TIMESTAMP '2024-01-01 00:00:00' + X * INTERVAL '1' SECOND FROM SYSTEM_RANGE(1, " + size + ")",
                "INSERT INTO action_invariants SELECT " + size + " + r.X, a.action_name, a.position, a.expression, a.created_at + INTERVAL '1' DAY"
                        + " FROM SYSTEM_RANGE(1, " + size / 10 + ") r JOIN action_invariants a ON a.id = 10 * r.X - MOD(r.X, 10)",
                "CREATE TABLE action_arguments (id BIGINT PRIMARY KEY, action_name VARCHAR(64) NOT NULL, name VARCHAR(64) NOT NULL,"
                        + " position INT NOT NULL, type_name VARCHAR(32) NOT NULL)",
                "INSERT INTO action_arguments SELECT X, 'action_' || ((X - 1) / 3), 'arg_' || MOD(X - 1, 3), MOD(X - 1, 3), 'text'"
                        + " FROM SYSTEM_RANGE(1, " + size * 3 / 10 + ")",
                "INSERT INTO action_arguments SELECT " + size * 3 / 10 + " + r.X, a.action_name, a.name, a.position + 1, a.type_name"
                        + " FROM SYSTEM_RANGE(1, " + size / 100 + ") r JOIN action_arguments a ON a.id = 3 * r.X",
                "CREATE TABLE invariant_checks (id BIGINT PRIMARY KEY, invariant_id BIGINT NOT NULL, checked_at TIMESTAMP NOT NULL,"
                        + " passed BOOLEAN NOT NULL, CONSTRAINT fk_invariant_checks_invariant FOREIGN KEY (invariant_id) REFERENCES action_invariants (id))",
                "INSERT INTO invariant_checks SELECT X, 2 * X, TIMESTAMP '2024-06-01 00:00:00' + X * INTERVAL '1' MINUTE, MOD(X, 7) <> 0"
                        + " FROM SYSTEM_RANGE(1, " + (size + size / 10) / 2 + ")");
        return database;
    }

    /** Removes every file of the H2 database {@code name} in directory {@code dir}. */
    static void wipe(Path dir, String name) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(name + ".")).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            // Nothing was run yet: the user's directory holds something the demo will not remove for them.
            throw SafeMigrateException.invalid("--dir " + dir + ": cannot remove the old demo database (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); remove it, or give another --dir");
        }
    }

    void execute(String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    long queryLong(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    Counts counts(String schema) throws SQLException {
        String invariants = schema + ".action_invariants";
        return new Counts(queryLong("SELECT COUNT(*) FROM " + invariants),
                queryLong("SELECT (SELECT COUNT(*) FROM " + invariants + ") - (SELECT COUNT(*) FROM (SELECT DISTINCT action_name, position FROM "
                        + invariants + "))"),
                queryLong("SELECT COUNT(*) FROM " + schema + ".invariant_checks"),
                queryLong("SELECT COUNT(*) FROM " + schema + ".invariant_checks c WHERE NOT EXISTS (SELECT 1 FROM " + invariants
                        + " a WHERE a.id = c.invariant_id)"),
                queryLong("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE UPPER(TABLE_SCHEMA) = '" + schema.toUpperCase()
                        + "' AND UPPER(TABLE_NAME) = 'ACTION_INVARIANTS' AND UPPER(CONSTRAINT_NAME) = '" + CONSTRAINT.toUpperCase() + "'") > 0);
    }

    /** Copies the tables (data only) into schema {@code naive}, for the naive migration to damage. */
    void copyForNaiveRun() throws SQLException {
        execute("CREATE SCHEMA naive",
                "CREATE TABLE naive.action_invariants AS SELECT * FROM public.action_invariants",
                "CREATE TABLE naive.action_arguments AS SELECT * FROM public.action_arguments",
                "CREATE TABLE naive.invariant_checks AS SELECT * FROM public.invariant_checks",
                "ALTER TABLE naive.action_invariants ALTER COLUMN id SET NOT NULL",
                "ALTER TABLE naive.action_invariants ADD PRIMARY KEY (id)",
                "ALTER TABLE naive.action_arguments ALTER COLUMN id SET NOT NULL",
                "ALTER TABLE naive.action_arguments ADD PRIMARY KEY (id)",
                "ALTER TABLE naive.invariant_checks ALTER COLUMN id SET NOT NULL",
                "ALTER TABLE naive.invariant_checks ADD PRIMARY KEY (id)",
                "CREATE INDEX naive.ix_invariant_checks_invariant ON naive.invariant_checks (invariant_id)");
    }

    /**
     * Runs the naive migration's first statement in autocommit mode, as it ran, and stands a fault (a lost connection,
     * a killed process) in for the second. Returns what the fault says; a real failure of the first statement is thrown.
     */
    String runNaive() throws SQLException {
        try (Connection own = DriverManager.getConnection(url); Statement statement = own.createStatement()) {
            statement.execute(NAIVE_MIGRATION.get(0));
        }
        return "injected fault at statement 2: " + NAIVE_MIGRATION.get(1);
    }

    /** Rows in the archive tables of action_invariants. */
    long archivedInvariants() throws SQLException {
        long total = 0;
        for (String table : archiveTables()) {
            total += queryLong("SELECT COUNT(*) FROM PUBLIC.\"" + table + "\"");
        }
        return total;
    }

    private List<String> archiveTables() throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"
                        + " AND LOWER(TABLE_NAME) LIKE 'sm\\_archive\\_%\\_action\\_invariants'")) {
            List<String> names = new java.util.ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
