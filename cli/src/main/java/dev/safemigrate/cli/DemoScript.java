package dev.safemigrate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safemigrate.core.DriverManagerDataSource;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.StatusReport;
import dev.safemigrate.core.VerifyReport;
import dev.safemigrate.core.model.Migration;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What {@code demo} shows, part by part; it collects the same facts as JSON for {@code --json}. */
final class DemoScript {
    final ObjectNode json = Json.object();
    private final CliCommand command;
    private final DemoDatabase db;
    private final Extensions extensions;
    /** Where the database stays once the demo's server has stopped. */
    private final String fileUrl;
    private DemoDatabase.Counts seeded;
    private List<Migration> migrations;
    private Instant started = Instant.now();

    DemoScript(CliCommand command, DemoDatabase db, Extensions extensions, String fileUrl) {
        this.command = command;
        this.db = db;
        this.extensions = extensions;
        this.fileUrl = fileUrl;
        json.put("database", fileUrl);
    }

    private void say(String text) {
        command.say(text);
    }

    private String took() {
        Instant now = Instant.now();
        String text = "   (" + Text.duration(Duration.between(started, now)) + ")";
        started = now;
        return text;
    }

    void seeded() throws SQLException {
        seeded = db.counts("public");
        say("Seeded " + fileUrl + " (served by a child H2 process) with set-based SQL (no rows pass through the JVM):\n   " + seeded.describe() + took());
        json.set("seeded", counts(seeded));
    }

    void naive() throws SQLException {
        say("\n1. The naive migration, on a copy of the tables, in autocommit mode; a fault stops it after its first statement:");
        DemoDatabase.NAIVE_MIGRATION.forEach(sql -> say("     " + sql));
        db.copyForNaiveRun();
        String crash = db.runNaive();
        DemoDatabase.Counts after = db.counts("naive");
        db.execute("DROP SCHEMA naive CASCADE");
        say("   it stopped with: " + crash);
        say("   before: " + seeded.describe() + "\n   after:  " + after.describe());
        say("   => " + Text.rows(seeded.invariants() - after.invariants(), "row") + " deleted for good, " + Text.count(after.dangling())
                + " checks orphaned, and no constraint." + took());
        json.set("naive", result(after, crash));
    }

    void safeWithFault(Path rules) throws SQLException {
        migrations = command.load(List.of(rules));
        say("\n2. The same migration as a rules file, " + rules + ",\n   run by safemigrate with a fault injected right after it deleted the duplicates:");
        String failure = "(no error)";
        try {
            SafeMigrate.builder().dataSource(dataSource()).extensions(extensions).listener(new DemoFault()).build().migrate(migrations);
        } catch (SafeMigrateException e) {
            failure = e.getMessage() + " (exit " + e.exitCode().code() + ")";
        }
        DemoDatabase.Counts after = db.counts("public");
        String history = safeMigrate().status(migrations).history().stream().map(h -> h.status().value()).findFirst().orElse("(none)");
        say("   it stopped with: " + failure + "\n   after:  " + after.describe() + "\n   history: " + history);
        say("   => every row in place" + (after.equals(seeded) ? "" : " -- NOT: the counts differ!") + ", history says " + history + "."
                + took());
        json.set("safe_with_fault", result(after, failure).put("history_status", history));
    }

    /** Plan, migrate, verify and status for real; returns the exit code. */
    int forReal() throws SQLException {
        SafeMigrate sm = safeMigrate();
        say("\n3. plan (read-only):");
        MigrationPlan plan = sm.plan(migrations);
        say(TextReports.plan(plan) + took());
        say("\n4. migrate:");
        MigrationReport report = sm.migrate(migrations);
        say(TextReports.migrate(report) + took());
        say("\n5. verify:");
        VerifyReport verify = sm.verify(migrations);
        say(TextReports.verify(verify) + took());
        say("\n6. status:");
        StatusReport status = sm.status(migrations);
        say(TextReports.status(status, true));
        DemoDatabase.Counts done = db.counts("public");
        long archived = db.archivedInvariants();
        say("\nbefore: " + seeded.describe() + "\nafter:  " + done.describe() + "\nrows before " + Text.count(seeded.invariants())
                + " = rows after " + Text.count(done.invariants()) + " + archived " + Text.count(archived)
                + "\nLook around: safemigrate status --url " + fileUrl);
        json.set("plan", JsonReports.plan(plan));
        json.set("migrate", JsonReports.migrate(report));
        json.set("verify", JsonReports.verify(verify));
        json.set("status", JsonReports.status(status));
        json.set("final", result(done, null).put("archived", archived));
        return verify.holds() ? 0 : dev.safemigrate.core.ExitCode.VIOLATED.code();
    }

    private DriverManagerDataSource dataSource() {
        return new DriverManagerDataSource(db.url, null, null);
    }

    private SafeMigrate safeMigrate() {
        return SafeMigrate.builder().dataSource(dataSource()).extensions(extensions).listener(command.listener()).build();
    }

    private ObjectNode result(DemoDatabase.Counts after, String error) {
        ObjectNode node = Json.object().put("error", error);
        node.set("before", counts(seeded));
        node.set("after", counts(after));
        return node;
    }

    private static ObjectNode counts(DemoDatabase.Counts c) {
        return Json.object().put("invariants", c.invariants()).put("duplicates", c.duplicates()).put("checks", c.checks())
                .put("dangling_checks", c.dangling()).put("constraint", c.constraint());
    }
}
