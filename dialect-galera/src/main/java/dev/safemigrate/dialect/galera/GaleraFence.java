package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.KeyGuard;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunJournal;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.steps.AddUniqueStep;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps writers on every node from committing a new duplicate of a key a run will make unique: the dialect's
 * {@link KeyGuard} (a guard table keyed by the key, claimed by triggers) on the table of each add_unique step. A
 * guard row is a replicated write that Galera certifies, so two nodes cannot both commit the same new key (0 of 100
 * rounds, where a lookup let 74 through: docs/galera-notes.md section 3); the triggers are DDL, replicated in total
 * order to every node. The statements that remove the guards are journaled ({@link JournalKind#STRATEGY}) before
 * they are installed, so a run cut short anywhere is cleaned up by {@code recover} through any node. The run's own
 * session passes the guards (it puts duplicates back when it reverses), and so does the recovering session.
 */
final class GaleraFence {
    private static final String ARCHIVE_PREFIX = "sm_archive_";

    private GaleraFence() {
    }

    /** Journals how to remove each guard, lets the run's session through, then installs the guards. */
    static void install(Run run) throws SQLException {
        KeyGuard guard = run.context(0).dialect().keyGuard().orElseThrow();
        List<String> installs = new ArrayList<>();
        for (int i = 0; i < run.steps().size(); i++) {
            if (run.steps().get(i) instanceof AddUniqueStep unique) {
                StepContext context = run.context(i);
                ResolvedTable table = context.table(unique.table());
                List<String> key = unique.columns().stream().map(c -> context.column(table, c)).toList();
                String name = guardName(context, table);
                for (String remove : guard.remove(table, name)) {
                    run.journal().add(JournalKind.STRATEGY, table.schema(), table.name(), name, remove, null);
                }
                installs.addAll(guard.install(table, key, unique.nulls() == NullsMode.EQUAL, name));
            }
        }
        Db db = run.context(0).db();
        bypass(guard, db, true);
        for (String statement : installs) {
            db.execute(statement);
        }
    }

    /** The guard's table name: the step's archive name under a prefix of its own, so it is never taken for an archive. */
    private static String guardName(StepContext context, ResolvedTable table) {
        String archive = context.archiveName("guard", table);
        return "sm_guard_" + archive.substring(archive.toLowerCase(Locale.ROOT).startsWith(ARCHIVE_PREFIX) ? ARCHIVE_PREFIX.length() : 0);
    }

    /** Lets {@code db}'s session through the guards, or not. */
    static void bypass(KeyGuard guard, Db db, boolean on) throws SQLException {
        for (String statement : guard.bypass(on)) {
            db.execute(statement);
        }
    }

    /** Removes every guard the journal lists (each statement is a no-op where it is gone) and forgets them; says how many. */
    static int remove(KeyGuard guard, RunJournal journal, Db db) throws SQLException {
        List<JournalEntry> removals = journal.entries(JournalKind.STRATEGY);
        for (JournalEntry removal : removals) {
            db.execute(removal.statement());
        }
        journal.delete(JournalKind.STRATEGY);
        bypass(guard, db, false);
        return (int) removals.stream().map(JournalEntry::objectName).distinct().count();
    }
}
