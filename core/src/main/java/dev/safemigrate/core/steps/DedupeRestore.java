package dev.safemigrate.core.steps;

import dev.safemigrate.core.spi.ForeignKey;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Restore;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.UndoBlocker;
import dev.safemigrate.core.sql.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** How a dedupe's changes are put back from its archives, and what stops an undo from doing that exactly. */
final class DedupeRestore {
    private final DedupeStep step;
    private final StepContext context;
    private final Sql sql;

    DedupeRestore(DedupeStep step, StepContext context) {
        this.step = step;
        this.context = context;
        this.sql = context.dialect().sql();
    }

    /**
     * Deleted rows first (parents before the children that pointed at them), then each repointed column,
     * then the child rows deleted as clashing.
     */
    List<Restore> statements() throws SQLException {
        ResolvedTable parent = context.table(step.table());
        ResolvedTable deleted = context.archive(DedupeStep.DELETED);
        List<Restore> statements = new ArrayList<>(restoreDeleted(parent, deleted));
        for (int i = 0; i < step.repoint().size(); i++) {
            Repoint r = step.repoint().get(i);
            ResolvedTable child = context.table(r.table());
            String column = context.column(child, r.column());
            ResolvedTable before = context.archive(DedupeStep.repointRole(i));
            // Where the child's key holds the column (a join table) the repoint changed the key, so the row is found through its survivor.
            statements.add(Restore.once(child.primaryKey().contains(column)
                    ? sql.dedupe().restoreRepointedKey(child, column, before, deleted, parent.primaryKey().get(0))
                    : sql.archive().restoreColumn(child, column, before)));
            if (r.onConflict() == Repoint.OnConflict.DELETE) {
                statements.addAll(restoreDeleted(child, context.archive(DedupeStep.conflictRole(i))));
            }
        }
        return statements;
    }

    /**
     * Puts back the rows of {@code archive}. Where rows of the table point at each other and the database
     * checks each row as it is written, they go back in generations, parents first; what is left after the
     * last generation (rows in a reference cycle, and the rows below them) goes back pointing at itself, then
     * each self-referencing key is set as archived.
     */
    private List<Restore> restoreDeleted(ResolvedTable table, ResolvedTable archive) throws SQLException {
        List<ForeignKey> selfKeys = context.catalog().foreignKeysFrom(table).stream().filter(ForeignKey::selfReferencing).toList();
        if (selfKeys.isEmpty() || !context.dialect().checksForeignKeysPerRow()) {
            return List.of(Restore.once(sql.archive().restoreRows(table, archive)));
        }
        List<Restore> restores = new ArrayList<>(List.of(Restore.untilNoRows(sql.archive().restoreRowsParentsFirst(table, archive, selfKeys)),
                Restore.once(sql.archive().restoreRemainderPointingAtThemselves(table, archive, selfKeys))));
        for (ForeignKey key : selfKeys) {
            restores.add(Restore.once(sql.archive().pointBackToArchived(table, archive, key)));
        }
        return restores;
    }

    List<UndoBlocker> undoBlockers() throws SQLException {
        ResolvedTable parent = context.table(step.table());
        ResolvedTable deleted = context.archive(DedupeStep.DELETED);
        List<UndoBlocker> blockers = new ArrayList<>();
        blockers.add(insertedSince(parent, deleted));
        for (int i = 0; i < step.repoint().size(); i++) {
            Repoint r = step.repoint().get(i);
            ResolvedTable child = context.table(r.table());
            String column = context.column(child, r.column());
            blockers.add(UndoBlocker.changedSince(sql.dedupe().repointedRowsChangedSince(child, column, context.archive(DedupeStep.repointRole(i)),
                    deleted, parent.primaryKey().get(0), child.equals(parent)), "rows of " + child + " that this migration repointed were changed"
                    + " or deleted since (their " + column + " no longer points at the survivor), so putting back " + column
                    + " would overwrite or miss them"));
            if (r.onConflict() == Repoint.OnConflict.DELETE) {
                blockers.add(insertedSince(child, context.archive(DedupeStep.conflictRole(i))));
            }
        }
        return blockers;
    }

    private UndoBlocker insertedSince(ResolvedTable table, ResolvedTable archive) {
        return UndoBlocker.keyTaken(sql.archive().rowsBlockingRestore(table, archive), "rows of " + table
                + " inserted since the migration have the primary key of a row it would put back");
    }
}
