package dev.safemigrate.core.steps;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.ForeignKey;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.UniqueKey;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.sql.SqlSyntax.Relation;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The catalog checks of a dedupe before anything changes: its table, key, inbound foreign keys and repoint columns. */
final class DedupeValidation {
    private static final String RESERVED_PREFIX = "sm_";

    private final DedupeStep step;
    private final StepContext context;

    DedupeValidation(DedupeStep step, StepContext context) {
        this.step = step;
        this.context = context;
    }

    void validate() throws SQLException {
        DedupeStep.Resolved resolved = step.resolve(context);
        ResolvedTable parent = resolved.table();
        if (parent.primaryKey().isEmpty()) {
            throw refused("table " + parent + " has no primary key, so its rows cannot be told apart, archived and restored exactly");
        }
        refuseReservedColumns(parent);
        Optional<String> incomparable = context.catalog().whyNotComparable(parent, resolved.key());
        if (incomparable.isPresent()) {
            throw refused(incomparable.get() + ", so duplicates of the key cannot be found");
        }
        if (step.nullsEqual() && !context.dialect().supportsNullsNotDistinct(context.databaseInfo())) {
            throw refused("nulls: equal needs a unique constraint that treats NULLs as equal (NULLS NOT DISTINCT), which "
                    + context.databaseInfo() + " does not have; the step is refused rather than approximated");
        }
        for (ForeignKey fk : context.catalog().foreignKeysInto(parent)) {
            if (!covered(fk)) {
                throw refused("foreign key " + fk.name() + " from " + fk.childDisplayName() + " (" + String.join(", ", fk.childColumns())
                        + ") references " + parent + ", but it is not listed under repoint; deleting a duplicate could cascade to, or be"
                        + " blocked by, its child rows. Add it under repoint (table: " + fk.childDisplayName() + ", column: "
                        + fk.childColumns().get(0) + ")");
            }
            if (!fk.parentColumns().equals(parent.primaryKey())) {
                throw refused("foreign key " + fk.name() + " from " + fk.childDisplayName() + " references (" + String.join(", ", fk.parentColumns())
                        + "), not the primary key of " + parent + "; it cannot be repointed");
            }
        }
        if (!step.repoint().isEmpty() && parent.primaryKey().size() != 1) {
            throw refused("repoint needs a single-column primary key on " + parent);
        }
        for (Repoint r : step.repoint()) {
            validateRepoint(resolved, r);
        }
    }

    private SafeMigrateException refused(String why) {
        return SafeMigrateException.refused(step.summary() + ": " + why);
    }

    /** Whether a table named in the catalog's foreign-key metadata (schema null where it is the default) is {@code table}. */
    private static boolean sameTable(String schema, String name, ResolvedTable table) {
        return table.name().equals(name) && (schema == null || table.schema() == null || schema.equals(table.schema()));
    }

    private boolean covered(ForeignKey fk) throws SQLException {
        for (Repoint r : step.repoint()) {
            ResolvedTable child = context.table(r.table());
            if (isKeyOf(fk, child, context.column(child, r.column()))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code fk} is the foreign key of {@code column} alone of {@code child} (the catalog's schema null where it is the default). */
    static boolean isKeyOf(ForeignKey fk, ResolvedTable child, String column) {
        boolean sameSchema = child.schema() == null || fk.childSchema() == null || child.schema().equals(fk.childSchema());
        return child.name().equals(fk.childTable()) && sameSchema && fk.childColumns().equals(List.of(column));
    }

    private void refuseReservedColumns(ResolvedTable resolved) {
        for (String column : resolved.columnNames()) {
            if (column.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX)) {
                throw refused("column " + column + " of " + resolved + " starts with 'sm_', which safemigrate reserves for its own bookkeeping columns");
            }
        }
    }

    private void validateRepoint(DedupeStep.Resolved resolved, Repoint r) throws SQLException {
        ResolvedTable child = context.table(r.table());
        String column = context.column(child, r.column());
        if (child.primaryKey().isEmpty()) {
            throw refused("repoint table " + child + " has no primary key, so its before-images cannot be restored exactly");
        }
        refuseReservedColumns(child);
        String target = "repoint " + child + "." + column;
        if (child.isGenerated(column)) {
            throw refused(target + " is a generated column; the database computes it, so it cannot be repointed");
        }
        for (ForeignKey fk : context.catalog().foreignKeysFrom(child)) {
            if (fk.childColumns().contains(column) && !sameTable(fk.parentSchema(), fk.parentTable(), resolved.table())) {
                throw refused(target + " belongs to foreign key " + fk.name() + ", which references " + fk.parentDisplayName() + ", not "
                        + resolved.table() + "; moving it to " + resolved.table() + "'s survivors would corrupt it. Remove it from repoint");
            }
        }
        for (ForeignKey fk : context.catalog().foreignKeysInto(child)) {
            if (fk.parentColumns().contains(column)) {
                throw refused(target + " is part of a key that foreign key " + fk.name() + " from " + fk.childDisplayName()
                        + " references; repointing it would change that key under its child rows");
            }
        }
        long conflicts = countConflicts(resolved, r);
        if (conflicts > 0 && r.onConflict() == Repoint.OnConflict.FAIL) {
            throw refused("moving " + child + "." + r.column() + " to the surviving rows would break a unique key of " + child + " for "
                    + conflicts + " row(s); set on_conflict: delete to archive and delete those child rows, or clean them up first");
        }
        if (conflicts > 0 && !context.catalog().foreignKeysInto(child).isEmpty()) {
            throw refused("on_conflict: delete would delete " + conflicts + " row(s) of " + child + ", but other tables reference " + child
                    + "; deleting them could cascade");
        }
    }

    /** The unique keys of {@code child} that hold the repointed {@code column}: where a repoint can clash. */
    static List<List<String>> conflictKeys(StepContext context, ResolvedTable child, String column) throws SQLException {
        List<List<String>> keys = new ArrayList<>();
        for (UniqueKey unique : context.catalog().uniqueKeys(child)) {
            if (unique.columns().contains(column)) {
                keys.add(unique.columns());
            }
        }
        return keys;
    }

    /**
     * The child rows the run would archive as clashing: as the run does, each unique key leaves out the rows
     * the keys before it took, so a row that clashes on two keys counts once.
     */
    long countConflicts(DedupeStep.Resolved resolved, Repoint r) throws SQLException {
        ResolvedTable child = context.table(r.table());
        String column = context.column(child, r.column());
        Sql sql = context.dialect().sql();
        long total = 0;
        List<String> earlier = new ArrayList<>();
        for (List<String> unique : conflictKeys(context, child, column)) {
            Relation taken = earlier.isEmpty() ? null : Relation.query("(" + String.join(" UNION ALL ", earlier) + ")");
            String conflicts = sql.dedupe().repointConflicts(child, column, unique, Relation.query(step.losers(context, resolved)),
                    resolved.table().primaryKey().get(0), taken);
            total += context.db().queryLong(sql.syntax().countRows("(" + conflicts + ")"));
            earlier.add(conflicts);
        }
        return total;
    }
}
