package dev.safemigrate.core.internal;

import dev.safemigrate.core.SafeMigrateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code plan --sql}: runs what {@code migrate} runs for one migration (its planning, then its strategy) over a
 * dry-run session ({@link Session#dryRun}), so the statements shown are the ones migrate's code would execute,
 * by construction, and nothing is sent but the dialect's fixed read-only lookups.
 */
final class DryRun {
    private DryRun() {
    }

    /** The statements of {@code planned} (planned read-only against the real session) for review. */
    static List<String> statements(Session session, PlannedMigration planned, boolean historyExists) {
        StatementLog log = new StatementLog();
        if (!historyExists) {
            log.note("safemigrate_history, safemigrate_journal: created first if missing (" + session.dialect.name() + "'s CREATE TABLE statements)");
        }
        try (Session dry = session.dryRun(log, historyExists)) {
            PlannedMigration again = Planner.plan(dry, planned.migration(), false).withStrategy(planned.strategy(), planned.strategyNotes());
            again.strategy().run(new MigrationRun(dry, again));
        } catch (SafeMigrateException | SQLException e) {
            log.stop(MigrationRun.describe(e));
        }
        List<String> out = new ArrayList<>();
        out.add("-- " + planned.migration().id() + ": every statement migrate would run, in order (strategy " + planned.strategy().name()
                + "), under safemigrate's migration lock.\n-- Left out: catalog lookups. As comments: the rows written to safemigrate_history and"
                + " safemigrate_journal.\n-- Computed as it runs, so different then: lock timeouts (what is left of --lock-timeout).");
        out.addAll(log.paragraphs());
        return out;
    }
}
