package dev.safemigrate.core.steps;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.ArchiveSpec;
import dev.safemigrate.core.spi.Invariant;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.DedupeSql;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.sql.SqlSyntax.Relation;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.Restore;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.spi.UndoBlocker;
import dev.safemigrate.core.spi.TableWrite;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes every row but the first of each group of rows sharing {@code key} (first in
 * {@code orderBy}, then primary key order), after copying it to the archive, and moves the child rows
 * listed in {@code repoint} from each deleted row to its survivor. {@code archive = false} drops the
 * archive once the run is applied (it is still written, so a failed run can be reversed).
 * {@code shadowSwap} ({@code strategy: shadow_swap}) asks for the strategy of that name (MySQL/MariaDB's: build
 * the cleaned table beside the original and swap it in), where it can run the migration.
 */
public record DedupeStep(TableName table, List<String> key, List<OrderItem> orderBy, NullsMode nulls, boolean archive,
                         List<Repoint> repoint, boolean shadowSwap) implements Step {
    static final String DELETED = "deleted";

    /** A dedupe run by the dialect's default strategy (not {@code strategy: shadow_swap}). */
    public DedupeStep(TableName table, List<String> key, List<OrderItem> orderBy, NullsMode nulls, boolean archive, List<Repoint> repoint) {
        this(table, key, orderBy, nulls, archive, repoint, false);
    }

    public DedupeStep {
        if (key == null || key.isEmpty()) {
            throw SafeMigrateException.invalid("dedupe of " + table + ": key must name at least one column");
        }
        key.forEach(c -> TableName.requireIdentifier(c, "column"));
        key = List.copyOf(key);
        orderBy = List.copyOf(orderBy);
        repoint = List.copyOf(repoint);
    }

    /** The strategy that builds the cleaned table beside the original and swaps it in. */
    public static final String SHADOW_SWAP = "shadow_swap";

    @Override
    public String type() {
        return "dedupe";
    }

    @Override
    public Optional<String> strategy() {
        return shadowSwap ? Optional.of(SHADOW_SWAP) : Optional.empty();
    }

    /** Without an add_unique of the same table and columns after it, nothing stops new duplicates: a warning says so. */
    @Override
    public Step inMigration(List<Step> steps, StepContext context) {
        boolean constrained = steps.stream().anyMatch(s -> s instanceof AddUniqueStep u && u.table().equals(table)
                && sameColumns(u.columns(), key));
        if (!constrained) {
            context.warn(summary() + ": no add_unique on " + table + " with the same columns follows it,"
                    + " so nothing will stop new duplicates from being inserted afterwards");
        }
        return this;
    }

    /** The same columns in any order, compared as SQL compares unquoted names. */
    public static boolean sameColumns(List<String> a, List<String> b) {
        return new java.util.HashSet<>(a.stream().map(c -> c.toLowerCase(java.util.Locale.ROOT)).toList())
                .equals(new java.util.HashSet<>(b.stream().map(c -> c.toLowerCase(java.util.Locale.ROOT)).toList()));
    }

    @Override
    public String summary() {
        return "dedupe " + table + " on (" + String.join(", ", key) + ")";
    }

    @Override
    public StepKind kind() {
        return StepKind.DML;
    }

    @Override
    public List<TableWrite> writes() {
        List<TableWrite> writes = new ArrayList<>(List.of(TableWrite.deletes(table)));
        for (Repoint r : repoint) {
            writes.add(TableWrite.updates(r.table()));
            if (r.onConflict() == Repoint.OnConflict.DELETE) {
                writes.add(TableWrite.deletes(r.table()));
            }
        }
        return writes;
    }

    boolean nullsEqual() {
        return nulls == NullsMode.EQUAL;
    }

    /** The table, key and order as the catalog spells them. */
    record Resolved(ResolvedTable table, List<String> key, List<OrderItem> order) {
    }

    Resolved resolve(StepContext context) throws SQLException {
        ResolvedTable resolved = context.table(table);
        List<String> keyColumns = key.stream().map(c -> context.column(resolved, c)).toList();
        List<OrderItem> order = orderBy.stream().map(o -> new OrderItem(context.column(resolved, o.column()), o.descending())).toList();
        return new Resolved(resolved, keyColumns, order);
    }

    String losers(StepContext context, Resolved resolved) {
        return context.dialect().sql().dedupe().losers(resolved.table(), resolved.key(), resolved.order(), nullsEqual());
    }

    @Override
    public void validate(StepContext context) throws SQLException {
        new DedupeValidation(this, context).validate();
    }

    /** The data change of this step, over losers the caller chooses (online mode's chunks). */
    public DedupeChange change(StepContext context) throws SQLException {
        return new DedupeChange(this, context);
    }

    @Override
    public StepEstimate estimate(StepContext context) throws SQLException {
        Resolved resolved = resolve(context);
        Sql sql = context.dialect().sql();
        String losers = losers(context, resolved);
        long toDelete = context.db().queryLong(sql.syntax().countRows(losers));
        long rows = context.db().queryLong(sql.syntax().countRows(resolved.table()));
        DedupeChange change = change(context);
        change.requireWithinGuard(toDelete, rows);
        DedupeValidation validation = new DedupeValidation(this, context);
        List<String> samples = context.db().sample(sql.syntax().limit(sql.dedupe().duplicateKeys(resolved.table(), resolved.key(), nullsEqual()), 5), 5)
                .stream().map(NoDuplicates::formatGroup).toList();
        long toUpdate = 0;
        long childDeletes = 0;
        List<String> notes = new ArrayList<>();
        for (Repoint r : repoint) {
            ResolvedTable child = context.table(r.table());
            String column = context.column(child, r.column());
            long conflicts = validation.countConflicts(resolved, r);
            long referencing = context.db().queryLong(sql.syntax().countRows("(" + sql.dedupe().referencingRows(child, column,
                    Relation.query(losers), resolved.table().primaryKey().get(0)) + ")"));
            toUpdate += referencing - conflicts;
            childDeletes += conflicts;
            notes.add("repoint " + child + "." + column + ": " + (referencing - conflicts) + " row(s) move to survivors"
                    + (conflicts > 0 ? ", " + conflicts + " clashing row(s) archived and deleted" : ""));
        }
        return new StepEstimate(toDelete + childDeletes, toUpdate, toDelete + toUpdate + childDeletes, rows, samples, toDelete == 0 && toUpdate == 0, notes);
    }

    static String repointRole(int index) {
        return "repointed_" + index;
    }

    static String conflictRole(int index) {
        return "clashing_" + index;
    }

    @Override
    public List<ArchiveSpec> archives(StepContext context) throws SQLException {
        ResolvedTable parent = context.table(table);
        List<ArchiveSpec> specs = new ArrayList<>();
        List<ArchiveSpec.ExtraColumn> keep = new ArrayList<>();
        List<String> keepColumns = DedupeSql.keepColumns(parent);
        for (int i = 0; i < parent.primaryKey().size(); i++) {
            keep.add(new ArchiveSpec.ExtraColumn(parent.primaryKey().get(i), keepColumns.get(i)));
        }
        specs.add(new ArchiveSpec(DELETED, parent, keep, archive));
        for (int i = 0; i < repoint.size(); i++) {
            ResolvedTable child = context.table(repoint.get(i).table());
            specs.add(new ArchiveSpec(repointRole(i), child, List.of(), archive));
            if (repoint.get(i).onConflict() == Repoint.OnConflict.DELETE) {
                specs.add(new ArchiveSpec(conflictRole(i), child, List.of(), archive));
            }
        }
        return specs;
    }

    @Override
    public StepOutcome apply(StepContext context) throws SQLException {
        DedupeChange change = change(context);
        ResolvedTable deleted = change.deletedArchive();
        long archived = change.copyLosers(deleted, change.losers(null));
        change.requireWithinGuard(archived, context.db().queryLong(context.dialect().sql().syntax().countRows(change.table())));
        StepOutcome children = change.repointChildren(deleted);
        long removed = change.deleteLosers(deleted, archived);
        return new StepOutcome(removed + children.deleted(), children.updated(), archived + children.archived(), false);
    }

    @Override
    public List<Restore> restoreStatements(StepContext context) throws SQLException {
        return new DedupeRestore(this, context).statements();
    }

    @Override
    public List<UndoBlocker> undoBlockers(StepContext context) throws SQLException {
        return new DedupeRestore(this, context).undoBlockers();
    }

    @Override
    public List<Invariant> invariants(StepContext context) {
        List<Invariant> invariants = new ArrayList<>();
        invariants.add(new NoDuplicates(table, key, nullsEqual()));
        ResolvedTable deletedRows = context.runArchive(DELETED).orElse(null);
        for (Repoint r : repoint) {
            invariants.add(new NoDanglingReferences(r.table(), r.column(), table, deletedRows));
        }
        return invariants;
    }
}
