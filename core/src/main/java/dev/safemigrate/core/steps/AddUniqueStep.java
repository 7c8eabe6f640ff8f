package dev.safemigrate.core.steps;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.Invariant;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.TableWrite;
import dev.safemigrate.core.spi.UniqueKey;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Adds a unique constraint. If one with this name already exists on the same table and columns the
 * step does nothing; anything else under that name refuses the migration before any change.
 */
public record AddUniqueStep(TableName table, String name, List<String> columns, NullsMode nulls) implements Step {
    public AddUniqueStep {
        TableName.requireIdentifier(name, "constraint");
        if (columns == null || columns.isEmpty()) {
            throw SafeMigrateException.invalid("add_unique " + name + ": columns must name at least one column");
        }
        columns.forEach(c -> TableName.requireIdentifier(c, "column"));
        columns = List.copyOf(columns);
    }

    public AddUniqueStep withNulls(NullsMode mode) {
        return new AddUniqueStep(table, name, columns, mode);
    }

    @Override
    public String type() {
        return "add_unique";
    }

    /** Without its own {@code nulls:}, the constraint takes the NULL semantics of a dedupe of the same table and columns. */
    @Override
    public Step inMigration(List<Step> steps, StepContext context) {
        if (nulls != null) {
            return this;
        }
        return withNulls(steps.stream().filter(s -> s instanceof DedupeStep d && d.table().equals(table) && DedupeStep.sameColumns(d.key(), columns))
                .map(s -> ((DedupeStep) s).nulls()).findFirst().orElse(NullsMode.DISTINCT));
    }

    @Override
    public String summary() {
        return "add_unique " + name + " on " + table + " (" + String.join(", ", columns) + ")"
                + (nulls == NullsMode.EQUAL ? " NULLS NOT DISTINCT" : "");
    }

    @Override
    public StepKind kind() {
        return StepKind.DDL;
    }

    @Override
    public List<TableWrite> writes() {
        return List.of(TableWrite.definition(table));
    }

    private List<String> resolvedColumns(StepContext context, ResolvedTable resolved) {
        return columns.stream().map(c -> context.column(resolved, c)).toList();
    }

    /** True when the constraint already exists exactly as declared; refuses when the name is taken by anything else. */
    private boolean exists(StepContext context) throws SQLException {
        ResolvedTable resolved = context.table(table);
        Optional<UniqueKey> existing = context.catalog().objectNamed(resolved, name);
        if (existing.isEmpty()) {
            return false;
        }
        UniqueKey key = existing.get();
        boolean same = key.table().equals(resolved.name()) && !key.primaryKey()
                && new HashSet<>(key.columns()).equals(new HashSet<>(resolvedColumns(context, resolved)));
        if (!same) {
            String holder = key.isOtherObject() ? key.table()
                    : (key.constraint() ? "a constraint" : "an index") + " on " + key.table() + " (" + String.join(", ", key.columns()) + ")";
            throw SafeMigrateException.refused(summary() + ": the name " + name + " is already used by " + holder + "; choose another name");
        }
        return true;
    }

    @Override
    public void validate(StepContext context) throws SQLException {
        ResolvedTable resolved = context.table(table);
        Optional<String> impossible = context.catalog().whyNotUnique(resolved, resolvedColumns(context, resolved));
        if (impossible.isPresent()) {
            throw SafeMigrateException.refused(summary() + ": " + impossible.get());
        }
        // Building the statement lets a dialect refuse what its database could not create (e.g. an index key too long).
        context.dialect().sql().constraints().addUnique(resolved, name, resolvedColumns(context, resolved), nulls == NullsMode.EQUAL);
        if (nulls == NullsMode.EQUAL && !context.dialect().supportsNullsNotDistinct(context.databaseInfo())) {
            throw SafeMigrateException.refused(summary() + ": " + context.databaseInfo() + " cannot create a unique constraint with NULLS NOT DISTINCT");
        }
        exists(context);
    }

    @Override
    public StepEstimate estimate(StepContext context) throws SQLException {
        if (exists(context)) {
            return StepEstimate.noop("constraint " + name + " already exists on " + table + " with these columns");
        }
        return new StepEstimate(0, 0, 0, 0, List.of(), false, List.of("creates unique constraint " + name));
    }

    @Override
    public List<DdlAction> ddl(StepContext context) throws SQLException {
        if (exists(context)) {
            return List.of();
        }
        ResolvedTable resolved = context.table(table);
        Sql sql = context.dialect().sql();
        List<String> resolvedColumns = resolvedColumns(context, resolved);
        return sql.constraints().addUniqueStatements(resolved, name, resolvedColumns, nulls == NullsMode.EQUAL).stream()
                .map(s -> new DdlAction(resolved, name, s.statement(), s.undoStatement(), s.exclusive())).toList();
    }

    @Override
    public List<Invariant> invariants(StepContext context) {
        return List.of(new NoDuplicates(table, columns, nulls == NullsMode.EQUAL));
    }

    /** The constraint this step creates is built over the same columns with the same NULL semantics. */
    @Override
    public List<Invariant> enforcedByDdl(StepContext context) throws SQLException {
        return ddl(context).isEmpty() ? List.of() : invariants(context);
    }
}
