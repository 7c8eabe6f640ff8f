package dev.safemigrate.core.internal;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.ArchiveSpec;
import dev.safemigrate.core.spi.ColumnInfo;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.spi.TableWrite;
import dev.safemigrate.core.sql.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The tables of one run: the archives it creates, and the locks that keep writers out of what it changes. */
final class RunTables {
    private final MigrationRun run;
    private final Session session;
    private final List<ResolvedTable> archives = new ArrayList<>();
    private boolean discards;

    RunTables(MigrationRun run) {
        this.run = run;
        this.session = run.session;
    }

    /**
     * Journals the tables the run changes and the allowed triggers that fire there (for undo and for
     * truthful messages without the rules file), then creates every archive table, journaling each name
     * first so recovery can remove it. An archive table left from an earlier run is reused only when
     * empty: one that holds rows is never dropped, and refuses the run.
     */
    void createArchives() throws SQLException {
        List<ResolvedTable> changed = new ArrayList<>();
        for (int i = 0; i < run.steps().size(); i++) {
            for (TableWrite write : run.steps().get(i).writes()) {
                ResolvedTable table = run.context(i).table(write.table());
                if (!write.events().isEmpty() && !changed.contains(table)) {
                    changed.add(table);
                    run.journal().add(JournalKind.TABLE, table.schema(), table.name(), null, null, null);
                }
            }
        }
        for (PlannedMigration.FiringTrigger trigger : run.planned.firingTriggers()) {
            run.journal().add(JournalKind.TRIGGER, null, trigger.table(), trigger.name(), trigger.effect(), null);
        }
        refuseArchivesHoldingRows(session, run.planned);
        for (int i = 0; i < run.steps().size(); i++) {
            StepContext context = run.context(i);
            for (ArchiveSpec spec : run.steps().get(i).archives(context)) {
                create(i, spec, context.archiveName(spec.role(), spec.source()));
            }
        }
    }

    /**
     * Refuses the migration when an archive table it would write already exists and holds rows from an earlier
     * run: such a table is never dropped. Checked for every archive before any is created, and by {@code plan}.
     */
    static void refuseArchivesHoldingRows(Session session, PlannedMigration planned) throws SQLException {
        for (int i = 0; i < planned.steps().size(); i++) {
            StepContext context = planned.context(i);
            for (ArchiveSpec spec : planned.steps().get(i).archives(context)) {
                String name = context.archiveName(spec.role(), spec.source());
                if (session.tableExists(name)) {
                    long rows = session.db.queryLong(session.dialect.sql().syntax().countRows(new ResolvedTable(null, name, List.of(), List.of())));
                    if (rows > 0) {
                        throw SafeMigrateException.refused("migration " + planned.migration().id() + " refused, nothing was changed: its archive table "
                                + name + " already exists and holds " + rows + " row(s) from an earlier run; it is never dropped by"
                                + " safemigrate. Move its rows elsewhere or drop it yourself, then run again");
                    }
                }
            }
        }
    }

    /** Registers the archive tables an interrupted run of the migration created; each must still exist. */
    void reopenArchives() throws SQLException {
        for (int i = 0; i < run.steps().size(); i++) {
            StepContext context = run.context(i);
            for (ArchiveSpec spec : run.steps().get(i).archives(context)) {
                String name = context.archiveName(spec.role(), spec.source());
                if (!session.tableExists(name)) {
                    throw SafeMigrateException.invalid("migration " + run.migration().id() + " cannot be resumed: its archive table " + name
                            + " is gone");
                }
                discards |= !spec.keep();
                ResolvedTable archive = session.created(name, archiveShape(name, spec));
                run.planned.context().registerArchive(i, spec.role(), archive);
                archives.add(archive);
            }
        }
    }

    private void create(int stepIndex, ArchiveSpec spec, String name) throws SQLException {
        Sql sql = session.dialect.sql();
        run.journal().add(JournalKind.ARCHIVE, null, null, name, null, null);
        if (!spec.keep()) {
            run.journal().add(JournalKind.DISCARD, null, null, name, null, null);
            discards = true;
        }
        if (session.tableExists(name)) {
            session.db.execute(sql.syntax().dropTable(new ResolvedTable(null, name, List.of(), List.of())));
        }
        for (String statement : sql.archive().createArchiveTable(name, spec.source(), spec.extraColumns(), spec.source().primaryKey())) {
            session.db.execute(statement);
        }
        ResolvedTable archive = session.created(name, archiveShape(name, spec));
        run.planned.context().registerArchive(stepIndex, spec.role(), archive);
        archives.add(archive);
    }

    /**
     * The archive table as {@code CREATE TABLE ... AS SELECT} makes it: the source's columns (values only: a
     * generated column is copied as a plain one), then the extra columns, typed as the columns they copy.
     */
    private static ResolvedTable archiveShape(String name, ArchiveSpec spec) {
        List<ColumnInfo> columns = new ArrayList<>();
        for (ColumnInfo column : spec.source().columns()) {
            columns.add(new ColumnInfo(column.name(), column.typeName(), column.nullable(), column.collation()));
        }
        for (ArchiveSpec.ExtraColumn extra : spec.extraColumns()) {
            ColumnInfo copied = spec.source().columns().stream().filter(c -> c.name().equals(extra.sourceColumn())).findFirst().orElseThrow();
            columns.add(new ColumnInfo(extra.archiveColumn(), copied.typeName(), copied.nullable(), copied.collation()));
        }
        return new ResolvedTable(null, name, columns, List.of());
    }

    /**
     * Keeps writers out of every table the run changes (see {@link TableLocks}) and of {@code extra}, then
     * checks the preconditions under those locks, so what they guard cannot change before the run does.
     */
    TableLocks.Release lock(List<ResolvedTable> extra) throws SQLException {
        List<ResolvedTable> written = new ArrayList<>();
        for (int i = 0; i < run.steps().size(); i++) {
            for (TableWrite write : run.steps().get(i).writes()) {
                ResolvedTable table = run.context(i).table(write.table());
                if (!written.contains(table)) {
                    written.add(table);
                }
            }
        }
        List<ResolvedTable> other = new ArrayList<>(archives);
        other.addAll(extra);
        for (String journalTable : List.of("safemigrate_history", "safemigrate_journal")) {
            session.table(TableName.parse(journalTable)).ifPresent(other::add);
        }
        List<String> checks = Stream.concat(run.migration().preconditions().stream(), run.migration().postconditions().stream())
                .map(SqlCheck::sql).toList();
        TableLocks.Release release = session.dialect.tableLocks().lock(session.connection, written, other, checks, run.lockTimeout());
        try {
            Checks.requirePreconditions(session, run.planned);
        } catch (SQLException | RuntimeException e) {
            Recovery.releaseQuietly(release);
            throw e;
        }
        return release;
    }

    /** Whether the rules asked not to keep some archive (dropped once the migration is applied). */
    boolean discardsArchives() {
        return discards;
    }
}
