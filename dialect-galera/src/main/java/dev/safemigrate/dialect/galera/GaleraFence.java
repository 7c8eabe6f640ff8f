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
import dev.safemigrate.core.spi.TableWrite;
import dev.safemigrate.core.sql.SqlSyntax;
import dev.safemigrate.core.steps.AddUniqueStep;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Holds off writers on every node, in two layers, both made of replicated rows and DDL replicated in total order.
 *
 * <ul>
 * <li><b>Key guards</b>, from before the data transaction until the constraint exists: the dialect's {@link KeyGuard}
 * (a guard table keyed by the key, claimed by triggers) on the table of each add_unique step. A guard row is a write
 * Galera certifies, so two nodes cannot both commit the same new key (0 of 100 rounds, where a lookup let 74 through:
 * docs/galera-notes.md section 3).</li>
 * <li><b>A cleaning flag</b>, set only while the data transaction runs: triggers on every table the run writes refuse
 * other sessions' writes (SQLSTATE 45000, saying to retry) while the run's flag row says cleaning. Without it any
 * insert through another node, even of a new key, aborts the data transaction when it is applied (its scan holds gap
 * locks the applier needs, section 3), and a steady writer (one insert every few ms) made all three attempts fail.
 * The triggers read the flag with a locking read, so a writer whose transaction is open when the flag arrives is
 * aborted (1213); a write that passed on a node the flag had not reached yet aborts the data transaction instead,
 * which is then run again.</li>
 * </ul>
 *
 * The statements that remove it are journaled ({@link JournalKind#STRATEGY}) before anything is installed, so a run
 * cut short anywhere is cleaned up by {@code recover} through any node. The run's session passes both layers (it puts
 * duplicates back when it reverses), and so does a recovering session.
 *
 * <p>Removing it drops the triggers and puts the flag down, but leaves the (small) guard and flag tables: MariaDB's
 * applier now and then fails a replicated {@code CREATE}/{@code DROP TRIGGER} while a session of its node writes the
 * table, and goes on without it (docs/galera-notes.md section 7), so a node may keep a trigger the others dropped.
 * Dropping the tables its triggers read would then fail every write on that node ("table doesn't exist", 1146: seen
 * once in CI); with the tables kept, such a trigger lets writes through (flag down) or refuses a duplicate key as the
 * new constraint does.
 */
final class GaleraFence {
    private static final String ARCHIVE_PREFIX = "sm_archive_";
    private static final List<String[]> EVENTS = List.of(new String[] {"bi", "INSERT"}, new String[] {"bu", "UPDATE"}, new String[] {"bd", "DELETE"});

    private GaleraFence() {
    }

    /** Journals how to remove it all, lets the run's session through, then installs the flag (not cleaning) and the guards. */
    static void install(Run run) throws SQLException {
        KeyGuard guard = run.context(0).dialect().keyGuard().orElseThrow();
        SqlSyntax syntax = run.context(0).dialect().sql().syntax();
        List<String> installs = new ArrayList<>();
        List<ResolvedTable> written = new ArrayList<>();
        for (int i = 0; i < run.steps().size(); i++) {
            StepContext context = run.context(i);
            for (TableWrite write : run.steps().get(i).writes()) {
                ResolvedTable table = context.table(write.table());
                if (!write.events().isEmpty() && !written.contains(table)) {
                    written.add(table);
                }
            }
            if (run.steps().get(i) instanceof AddUniqueStep unique) {
                ResolvedTable table = context.table(unique.table());
                List<String> key = unique.columns().stream().map(c -> context.column(table, c)).toList();
                String name = ownName(context, "guard", table);
                for (String remove : guard.remove(table, name)) {
                    // The guard table stays (see above): only the triggers are removed.
                    if (!remove.startsWith("DROP TABLE")) {
                        run.journal().add(JournalKind.STRATEGY, table.schema(), table.name(), name, remove, null);
                    }
                }
                installs.addAll(guard.install(table, key, unique.nulls() == NullsMode.EQUAL, name));
            }
        }
        Db db = run.context(0).db();
        if (!written.isEmpty()) {
            String name = ownName(run.context(0), "fence", written.get(0));
            String flag = syntax.quote(db.sample("SELECT DATABASE()", 1).get(0).get(0)) + "." + syntax.quote(name);
            installs.addAll(0, flag(run, syntax, flag, name, written));
        }
        bypass(guard, db, true);
        for (String statement : installs) {
            db.execute(statement);
        }
    }

    /**
     * The flag table {@code flag} (qualified: trigger bodies resolve names in their table's schema; one row, not cleaning)
     * and its triggers on each written table, their removal (and the flag's lowering) journaled first. The triggers let
     * through the sessions the key guard's bypass lets through (its session variable).
     */
    private static List<String> flag(Run run, SqlSyntax syntax, String flag, String name, List<ResolvedTable> written) {
        List<String> installs = new ArrayList<>(List.of("CREATE TABLE IF NOT EXISTS " + flag
                        + " (id INT NOT NULL PRIMARY KEY, cleaning INT NOT NULL) ENGINE = InnoDB",
                "INSERT IGNORE INTO " + flag + " VALUES (1, 0)"));
        for (int t = 0; t < written.size(); t++) {
            ResolvedTable table = written.get(t);
            String schema = table.schema() == null ? "" : syntax.quote(table.schema()) + ".";
            for (String[] event : EVENTS) {
                String trigger = schema + syntax.quote(name + "_" + t + event[0]);
                run.journal().add(JournalKind.STRATEGY, table.schema(), table.name(), flag, "DROP TRIGGER IF EXISTS " + trigger, null);
                installs.add("DROP TRIGGER IF EXISTS " + trigger);
                installs.add("CREATE TRIGGER " + trigger + " BEFORE " + event[1] + " ON " + syntax.table(table) + " FOR EACH ROW BEGIN"
                        + " IF @safemigrate_bypass IS NULL AND EXISTS (SELECT 1 FROM " + flag + " WHERE cleaning = 1 LOCK IN SHARE MODE)"
                        + " THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'safemigrate is removing duplicates from " + table
                        + " through another node of the cluster; this write is refused for the seconds that takes: retry it'; END IF; END");
            }
        }
        // Last: the flag goes down once its triggers are gone; the table stays for any trigger a node kept (see above).
        run.journal().add(JournalKind.STRATEGY, null, null, flag, "UPDATE " + flag + " SET cleaning = 0", null);
        return installs;
    }

    /** Sets or clears the cleaning flag (autocommit: a replicated write), where the run has one. */
    static void cleaning(Run run, boolean on) throws SQLException {
        for (JournalEntry entry : run.journal().entries(JournalKind.STRATEGY)) {
            if (entry.tableName() == null) {
                run.context(0).db().update("UPDATE " + entry.objectName() + " SET cleaning = " + (on ? 1 : 0));
            }
        }
    }

    /** A name for a table of the run's own: the step's archive name under another prefix, so it is never taken for an archive. */
    private static String ownName(StepContext context, String role, ResolvedTable table) {
        String archive = context.archiveName(role, table);
        return "sm_" + role + "_" + archive.substring(archive.toLowerCase(Locale.ROOT).startsWith(ARCHIVE_PREFIX) ? ARCHIVE_PREFIX.length() : 0);
    }

    /** Lets {@code db}'s session through the guards and the flag, or not. */
    static void bypass(KeyGuard guard, Db db, boolean on) throws SQLException {
        for (String statement : guard.bypass(on)) {
            db.execute(statement);
        }
    }

    /** Runs the removals the journal lists (each is a no-op where already done) and forgets them; says how many objects they concern. */
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
