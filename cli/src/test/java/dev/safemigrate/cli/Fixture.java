package dev.safemigrate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An H2 file database in a temporary directory with the spec's example: seven invariants, three of
 * them duplicates (ids 3, 5, 6), and five checks, three of which point at duplicates.
 */
final class Fixture {
    /** The spec's rules file for the fixture; {@code %s} is the guards block. */
    static final String RULES = """
            id: a5_006_action_invariants_unique
            description: Deduplicate action invariants, then add a unique constraint
            %s
            steps:
              - dedupe:
                  table: action_invariants
                  key: [action_name, position]
                  keep:
                    order_by: [id]
                  repoint:
                    - table: invariant_checks
                      column: invariant_id
              - add_unique:
                  table: action_invariants
                  name: uq_action_invariants_action_position
                  columns: [action_name, position]
            postconditions:
              - sql: SELECT count(*) FROM invariant_checks c LEFT JOIN action_invariants a ON a.id = c.invariant_id WHERE a.id IS NULL
                expect: 0
            """;

    final Path dir;
    final String url;

    Fixture(Path dir) {
        this(dir, "");
    }

    /** {@code settings}: more H2 URL settings, each starting with ';'. */
    Fixture(Path dir, String settings) {
        this.dir = dir;
        this.url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";AUTO_SERVER=TRUE" + settings;
    }

    Fixture seeded() throws SQLException {
        execute("CREATE TABLE action_invariants (id BIGINT PRIMARY KEY, action_name VARCHAR(64) NOT NULL, position INT NOT NULL)",
                "INSERT INTO action_invariants VALUES (1, 'a', 0), (2, 'a', 1), (3, 'a', 0), (4, 'b', 0), (5, 'a', 1), (6, 'b', 0), (7, 'c', 0)",
                "CREATE TABLE invariant_checks (id BIGINT PRIMARY KEY, invariant_id BIGINT NOT NULL REFERENCES action_invariants (id))",
                "INSERT INTO invariant_checks VALUES (10, 1), (11, 3), (12, 5), (13, 6), (14, 7)");
        return this;
    }

    Path rules(String guards) {
        return write("a5_006_action_invariants_unique.yaml", RULES.formatted(guards));
    }

    Path rules() {
        return rules("");
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    void execute(String... statements) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    List<Long> longs(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<Long> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
            return values;
        }
    }

    long count(String sql) throws SQLException {
        return longs(sql).get(0);
    }

    /** Rows in the archive tables of {@code table}. */
    long archived(String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) LIKE 'sm\\_archive\\_%\\_" + table + "'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        long total = 0;
        for (String name : names) {
            total += count("SELECT COUNT(*) FROM \"" + name + "\"");
        }
        return total;
    }

    boolean constraintExists() throws SQLException {
        return count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE TABLE_NAME = 'ACTION_INVARIANTS'"
                + " AND CONSTRAINT_TYPE = 'UNIQUE' AND LOWER(CONSTRAINT_NAME) = 'uq_action_invariants_action_position'") == 1;
    }

    /** Runs the CLI in this JVM as {@link Main#main} does, connected to the fixture unless the arguments say otherwise. */
    Result run(String... args) {
        return runWithEnv(Map.of("SAFEMIGRATE_URL", url), args);
    }

    static Result runWithEnv(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new Main(env)).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
