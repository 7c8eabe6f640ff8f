package dev.safemigrate.core.steps;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.ColumnInfo;
import dev.safemigrate.core.spi.DmlEvent;
import dev.safemigrate.core.spi.ForeignKey;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.sql.OnlineSql;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.sql.SqlSyntax.Relation;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data change of a dedupe, given its losers: copy them to a table, move the child rows that point at them to
 * their survivors (archiving the before-images, and the clashing child rows where {@code on_conflict: delete}),
 * delete them. The offline step runs it once over every loser, with the archive as the losers' table; online mode
 * runs it chunk by chunk, over a table that holds one chunk's losers.
 */
public final class DedupeChange {
    private final DedupeStep step;
    private final StepContext context;
    private final DedupeStep.Resolved resolved;
    private final Sql sql;
    /** Per child table, asked once per run: chunks repoint over and over. */
    private final Map<ResolvedTable, Boolean> updateLeavesOtherColumns = new HashMap<>();

    DedupeChange(DedupeStep step, StepContext context) throws SQLException {
        this.step = step;
        this.context = context;
        this.resolved = step.resolve(context);
        this.sql = context.dialect().sql();
    }

    /** The deduped table, as the catalog spells it. */
    public ResolvedTable table() {
        return resolved.table();
    }

    /** The key columns, as the catalog spells them. */
    public List<String> key() {
        return resolved.key();
    }

    /** The archive of deleted rows (with their survivors' keys), once the run created it. */
    public ResolvedTable deletedArchive() {
        return context.archive(DedupeStep.DELETED);
    }

    /** The loser rows with their survivors' keys; only those of the key groups in {@code keys} where it is not null. */
    public String losers(Relation keys) {
        return sql.dedupe().losers(resolved.table(), resolved.key(), resolved.order(), step.nullsEqual(), keys);
    }

    /** The loser rows among {@code rows} (a parenthesized query of the table's rows, all their columns), with their survivors' keys. */
    public String losersOf(String rows) {
        return sql.dedupe().losersOf(resolved.table(), resolved.key(), resolved.order(), step.nullsEqual(), rows);
    }

    /** A repointed column: its child table, the column, and the archive of the before-images of the rows the run moved. */
    public record Repointed(ResolvedTable child, String column, ResolvedTable beforeImages) {
    }

    /** Each repoint of the rules, in order, once the run created its archives. */
    public List<Repointed> repointed() throws SQLException {
        List<Repointed> repointed = new ArrayList<>();
        for (int i = 0; i < step.repoint().size(); i++) {
            ResolvedTable child = context.table(step.repoint().get(i).table());
            repointed.add(new Repointed(child, context.column(child, step.repoint().get(i).column()), context.archive(DedupeStep.repointRole(i))));
        }
        return repointed;
    }

    /** The child columns that {@code repoint} moves, as the catalog spells them. */
    public List<OnlineSql.Pointer> pointers() throws SQLException {
        List<OnlineSql.Pointer> pointers = new ArrayList<>();
        for (Repoint r : step.repoint()) {
            ResolvedTable child = context.table(r.table());
            pointers.add(new OnlineSql.Pointer(child, context.column(child, r.column())));
        }
        return pointers;
    }

    /**
     * The {@link #pointers} that no foreign key into the table guards: only there can a child row be written at a deleted
     * row (validation refuses a foreign key into the table that is not on its primary key).
     */
    public List<OnlineSql.Pointer> pointersWithoutForeignKey() throws SQLException {
        List<ForeignKey> into = context.catalog().foreignKeysInto(resolved.table());
        return pointers().stream().filter(p -> into.stream().noneMatch(fk -> DedupeValidation.isKeyOf(fk, p.child(), p.column()))).toList();
    }

    /** Copies the rows of the relation {@code rows} (loser rows and their survivors' keys) into {@code table}; returns how many. */
    public long copyLosers(ResolvedTable table, String rows) throws SQLException {
        long copied = context.db().update(sql.archive().archiveRows(table, rows));
        for (String statement : sql.archive().archiveFilled(table)) {
            context.db().execute(statement);
        }
        return copied;
    }

    /**
     * Moves the child rows that point at a row of {@code losers} to its survivor, archiving their before-images
     * first, and archives and deletes the child rows that would clash ({@code on_conflict: delete}). Returns the
     * child rows updated, deleted and archived.
     */
    public StepOutcome repointChildren(ResolvedTable losers) throws SQLException {
        ResolvedTable parent = resolved.table();
        String parentPk = parent.primaryKey().get(0);
        long updated = 0;
        long childArchived = 0;
        long childDeleted = 0;
        for (int i = 0; i < step.repoint().size(); i++) {
            Repoint r = step.repoint().get(i);
            ResolvedTable child = context.table(r.table());
            String column = context.column(child, r.column());
            if (r.onConflict() == Repoint.OnConflict.DELETE) {
                ResolvedTable clashing = context.archive(DedupeStep.conflictRole(i));
                long clashArchived = 0;
                for (List<String> unique : DedupeValidation.conflictKeys(context, child, column)) {
                    clashArchived += context.db().update(sql.archive().archiveSelect(clashing,
                            sql.dedupe().repointConflicts(child, column, unique, Relation.of(losers), parentPk, Relation.of(clashing))));
                }
                requireEqual("rows of " + child + " archived as clashing", clashArchived, "deleted",
                        context.db().update(sql.archive().deleteArchived(child, clashing)));
                childArchived += clashArchived;
                childDeleted += clashArchived;
            }
            ResolvedTable before = context.archive(DedupeStep.repointRole(i));
            Optional<String> archiving = updateLeavesOtherColumns(child)
                    ? sql.dedupe().repointArchiving(child, column, losers, parentPk, before) : Optional.empty();
            long moved;
            long beforeImages;
            if (archiving.isPresent()) {
                moved = context.db().update(archiving.get());
                beforeImages = moved;
            } else {
                beforeImages = context.db().update(sql.archive().archiveSelect(before,
                        sql.dedupe().referencingRows(child, column, Relation.of(losers), parentPk)));
                moved = context.db().update(sql.dedupe().repoint(child, column, losers, parentPk));
                requireEqual("before-images of " + child + "." + column, beforeImages, "rows repointed", moved);
            }
            updated += moved;
            childArchived += beforeImages;
        }
        return new StepOutcome(childDeleted, updated, childArchived, false);
    }

    /** Whether updating a column of {@code child} leaves its other columns as they were: no generated column, no trigger or rule on update. */
    private boolean updateLeavesOtherColumns(ResolvedTable child) throws SQLException {
        Boolean known = updateLeavesOtherColumns.get(child);
        if (known == null) {
            known = child.columns().stream().noneMatch(ColumnInfo::generated)
                    && context.catalog().triggers(child).stream().noneMatch(t -> t.firesOnAny(Set.of(DmlEvent.UPDATE)));
            updateLeavesOtherColumns.put(child, known);
        }
        return known;
    }

    /**
     * What the committed work of an interrupted run did, counted from the archives (they hold only this run's rows):
     * the losers deleted, the child rows repointed (and, with {@code on_conflict: delete}, deleted), and every row archived.
     */
    public StepOutcome archivedSoFar() throws SQLException {
        long deleted = count(deletedArchive());
        long childDeleted = 0;
        long updated = 0;
        for (int i = 0; i < step.repoint().size(); i++) {
            updated += count(context.archive(DedupeStep.repointRole(i)));
            if (step.repoint().get(i).onConflict() == Repoint.OnConflict.DELETE) {
                childDeleted += count(context.archive(DedupeStep.conflictRole(i)));
            }
        }
        return new StepOutcome(deleted + childDeleted, updated, deleted + childDeleted + updated, false);
    }

    private long count(ResolvedTable table) throws SQLException {
        return context.db().queryLong(sql.syntax().countRows(table));
    }

    /** Deletes the rows of the table that are in {@code losers}, which must be all {@code copied} of them. */
    public long deleteLosers(ResolvedTable losers, long copied) throws SQLException {
        long deleted = context.db().update(sql.archive().deleteArchived(resolved.table(), losers));
        requireEqual("rows of " + resolved.table() + " archived", copied, "deleted", deleted);
        return deleted;
    }

    /** Refuses a dedupe that would delete more than the guard's share of the table's {@code rows}. */
    public void requireWithinGuard(long toDelete, long rows) {
        if (toDelete > context.guards().maxDeleteFraction() * rows) {
            throw SafeMigrateException.refused(step.summary() + ": would delete " + toDelete + " of " + rows + " rows of " + step.table()
                    + ", more than max_delete_fraction " + context.guards().maxDeleteFraction() + " allows");
        }
    }

    private static void requireEqual(String what, long archived, String action, long done) {
        if (archived != done) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "archive check failed: " + archived + " " + what + " but " + done + " " + action);
        }
    }
}
