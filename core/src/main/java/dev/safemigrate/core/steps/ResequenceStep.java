package dev.safemigrate.core.steps;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.ArchiveSpec;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Restore;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.TableWrite;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.spi.UndoBlocker;
import java.sql.SQLException;
import java.util.List;

/**
 * Renumbers {@code column} densely from {@code start} within each {@code partitionBy} group, in
 * {@code orderBy} order (then primary key). Changed rows are archived with their before-image, then
 * moved in two phases — first above every value in use, then down to their final value — so that a
 * unique constraint on (partition, column) never sees two rows with the same value.
 */
public record ResequenceStep(TableName table, String column, List<String> partitionBy, List<OrderItem> orderBy, long start)
        implements Step {
    static final String BEFORE = "before";
    private static final String NEW_VALUE = "sm_new_value";

    public ResequenceStep {
        TableName.requireIdentifier(column, "column");
        partitionBy.forEach(c -> TableName.requireIdentifier(c, "column"));
        partitionBy = List.copyOf(partitionBy);
        orderBy = List.copyOf(orderBy);
    }

    @Override
    public String type() {
        return "resequence";
    }

    @Override
    public String summary() {
        return "resequence " + table + "." + column + (partitionBy.isEmpty() ? "" : " within (" + String.join(", ", partitionBy) + ")")
                + " from " + start;
    }

    @Override
    public StepKind kind() {
        return StepKind.DML;
    }

    @Override
    public List<TableWrite> writes() {
        return List.of(TableWrite.updates(table));
    }

    private record Resolved(ResolvedTable table, String column, List<String> partition, List<OrderItem> order) {
    }

    private Resolved resolve(StepContext context) throws SQLException {
        ResolvedTable resolved = context.table(table);
        return new Resolved(resolved, context.column(resolved, column),
                partitionBy.stream().map(c -> context.column(resolved, c)).toList(),
                orderBy.stream().map(o -> new OrderItem(context.column(resolved, o.column()), o.descending())).toList());
    }

    private String renumbered(StepContext context, Resolved r) {
        return context.dialect().sql().resequence().renumbered(r.table(), r.column(), r.partition(), r.order(), start, NEW_VALUE);
    }

    @Override
    public void validate(StepContext context) throws SQLException {
        Resolved resolved = resolve(context);
        if (resolved.table().primaryKey().isEmpty()) {
            throw SafeMigrateException.refused(summary() + ": table " + resolved.table() + " has no primary key, so its before-images cannot be restored exactly");
        }
        if (resolved.partition().contains(resolved.column())) {
            throw SafeMigrateException.invalid(summary() + ": the renumbered column cannot also be a partition column");
        }
    }

    @Override
    public StepEstimate estimate(StepContext context) throws SQLException {
        Resolved resolved = resolve(context);
        Sql sql = context.dialect().sql();
        long changed = context.db().queryLong(sql.syntax().countRows(renumbered(context, resolved)));
        long rows = context.db().queryLong(sql.syntax().countRows(resolved.table()));
        return new StepEstimate(0, changed, changed, rows, List.of(), changed == 0,
                List.of(changed + " of " + rows + " row(s) get a new " + column));
    }

    @Override
    public List<ArchiveSpec> archives(StepContext context) throws SQLException {
        Resolved resolved = resolve(context);
        return List.of(new ArchiveSpec(BEFORE, resolved.table(), List.of(new ArchiveSpec.ExtraColumn(resolved.column(), NEW_VALUE)), true));
    }

    /** A shift that lifts every renumbered value above every value in use now, and above every final value. */
    private long offset(StepContext context, Resolved resolved) throws SQLException {
        Sql sql = context.dialect().sql();
        String table = sql.syntax().table(resolved.table());
        String quoted = sql.syntax().quote(resolved.column());
        long max = context.db().queryLong("SELECT COALESCE(MAX(" + quoted + "), 0) FROM " + table);
        long min = context.db().queryLong("SELECT COALESCE(MIN(" + quoted + "), 0) FROM " + table);
        long rows = context.db().queryLong(sql.syntax().countRows(resolved.table()));
        return Math.max(max, start + rows) - Math.min(min, start) + rows + 1;
    }

    @Override
    public StepOutcome apply(StepContext context) throws SQLException {
        Resolved resolved = resolve(context);
        Sql sql = context.dialect().sql();
        ResolvedTable archive = context.archive(BEFORE);
        long archived = context.db().update(sql.archive().archiveRows(archive, renumbered(context, resolved)));
        long offset = offset(context, resolved);
        long lifted = context.db().update(sql.resequence().setFromArchive(resolved.table(), resolved.column(), archive, NEW_VALUE, offset));
        long lowered = context.db().update(sql.resequence().shiftArchived(resolved.table(), resolved.column(), archive, -offset));
        if (lifted != archived || lowered != archived) {
            throw new SafeMigrateException(dev.safemigrate.core.ExitCode.FAILED_RESTORED, "archive check failed: " + archived
                    + " before-images of " + resolved.table() + "." + column + " but " + lifted + " and " + lowered + " rows renumbered");
        }
        return new StepOutcome(0, archived, archived, archived == 0);
    }

    @Override
    public List<Restore> restoreStatements(StepContext context) throws SQLException {
        Resolved resolved = resolve(context);
        Sql sql = context.dialect().sql();
        ResolvedTable archive = context.archive(BEFORE);
        // Fixed when journaled: large enough to clear every value in use now and rows added later in the same range.
        long offset = 2 * offset(context, resolved);
        return List.of(Restore.once(sql.resequence().setFromArchive(resolved.table(), resolved.column(), archive, resolved.column(), offset)),
                Restore.once(sql.resequence().shiftArchived(resolved.table(), resolved.column(), archive, -offset)));
    }

    /** Rows renumbered by this migration whose value was changed since: an undo would overwrite it. */
    @Override
    public List<UndoBlocker> undoBlockers(StepContext context) throws SQLException {
        Resolved resolved = resolve(context);
        return List.of(UndoBlocker.changedSince(context.dialect().sql().archive().rowsChangedSince(resolved.table(), resolved.column(), context.archive(BEFORE),
                NEW_VALUE), "rows of " + resolved.table() + " that this migration renumbered were changed or deleted since, so putting back "
                + resolved.column() + " would overwrite or miss them"));
    }
}
