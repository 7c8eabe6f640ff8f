package dev.safemigrate.cli;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Create an H2 database (served by a child process) with the duplicate problem, show the naive migration losing rows,"
        + " the same migration failing safely under safemigrate, then plan, migrate, verify and status for real.")
final class DemoCommand extends CliCommand {
    static final String RULES_FILE = "a5_006_action_invariants_unique.yaml";

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "safemigrate-data",
            description = "Where to create the demo database (wiped first) and its rules file (default: ${DEFAULT-VALUE}).")
    Path dir;

    /** A demo of 5,000,000 rows takes about two minutes on H2; beyond 10,000,000 it proves nothing more. */
    private static final int MAX_ROWS = 10_000_000;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
            description = "Rows of action_invariants before the duplicates, 100 to 10000000; 10%% more are added as duplicates (default: ${DEFAULT-VALUE}).")
    int rows;

    @Override
    protected int execute() {
        if (rows < 100 || rows > MAX_ROWS) {
            throw SafeMigrateException.invalid("--rows must be between 100 and " + MAX_ROWS + ", not " + rows);
        }
        if (dir.toString().isBlank()) {
            throw SafeMigrateException.invalid("--dir is empty: give the directory for the demo database, or leave the option out");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw SafeMigrateException.invalid("--dir " + dir + " is not a directory");
        }
        Path home = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            // Before the server starts: else H2 reports it later, from the child process, as an error of its own.
            throw SafeMigrateException.invalid("--dir " + dir + ": cannot create the directory for the demo database ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        DemoDatabase.wipe(home, "demo");
        try (DemoServer server = DemoServer.start(home); DemoDatabase db = DemoDatabase.seeded(server.url("demo"), rows)) {
            DemoScript script = new DemoScript(this, db, extensions(), "jdbc:h2:file:" + home.resolve("demo"));
            script.seeded();
            script.naive();
            script.safeWithFault(writeRules(home.resolve("demo-rules")));
            return finish(script.json, script.forReal());
        } catch (SQLException e) {
            // The demo's own scratch database, not a run of safemigrate on the user's data: exit 1, with the database's words.
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "the demo's own database in " + home + " failed: " + e.getMessage()
                    + " (only the demo's files there were touched; the next demo wipes and seeds them again)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeRules(Path rulesDir) throws IOException {
        Files.createDirectories(rulesDir);
        try (var old = Files.list(rulesDir)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        return Files.writeString(rulesDir.resolve(RULES_FILE), """
                id: a5_006_action_invariants_unique
                description: Deduplicate action invariants, then add a unique constraint
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
                      name: %s
                      columns: [action_name, position]
                postconditions:
                  - sql: SELECT count(*) FROM invariant_checks c LEFT JOIN action_invariants a ON a.id = c.invariant_id WHERE a.id IS NULL
                    expect: 0
                """.formatted(DemoDatabase.CONSTRAINT));
    }
}
