package com.example.safemigrate;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.ArchiveSpec;
import dev.safemigrate.core.spi.Invariant;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Restore;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.TableWrite;
import dev.safemigrate.core.spi.StepOutcome;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Removes leading and trailing spaces from a text column, after copying each row it changes to the
 * archive. A DML step, so it runs inside the data transaction and a failed run puts every value back.
 */
public record TrimSpacesStep(TableName table, String column) implements Step {
    static final String TYPE = "trim_spaces";
    private static final String BEFORE = "before";

    public TrimSpacesStep {
        Objects.requireNonNull(table, "table");
        TableName.requireIdentifier(column, "column");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String summary() {
        return TYPE + " " + table + "." + column;
    }

    @Override
    public StepKind kind() {
        return StepKind.DML;
    }

    @Override
    public List<TableWrite> writes() {
        return List.of(TableWrite.updates(table));
    }

    private TrimSql sql(StepContext context) throws SQLException {
        ResolvedTable resolved = context.table(table);
        return new TrimSql(context.dialect().sql(), resolved, context.column(resolved, column));
    }

    @Override
    public void validate(StepContext context) throws SQLException {
        ResolvedTable resolved = context.table(table);
        String name = context.column(resolved, column);
        if (resolved.primaryKey().isEmpty()) {
            throw SafeMigrateException.refused(summary() + ": table " + resolved
                    + " has no primary key, so a trimmed value could not be matched back to its row from the archive");
        }
        if (resolved.primaryKey().contains(name)) {
            throw SafeMigrateException.refused(summary() + ": " + name + " is part of the primary key of " + resolved
                    + ", which the archive uses to find each row again");
        }
        String type = resolved.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().typeName();
        if (!isVariableLengthText(type)) {
            throw SafeMigrateException.invalid(summary() + ": column " + name + " of " + resolved + " is " + type
                    + ", not a variable-length text column");
        }
    }

    /**
     * Fixed-length CHAR is left out: databases pad it back to its length or ignore trailing spaces, so
     * trimming it would change nothing that can be seen.
     */
    private static boolean isVariableLengthText(String typeName) {
        String type = typeName.toUpperCase(Locale.ROOT);
        return type.contains("VARCHAR") || type.contains("CHARACTER VARYING") || type.contains("TEXT")
                || type.contains("CLOB") || type.contains("CHARACTER LARGE OBJECT");
    }

    @Override
    public StepEstimate estimate(StepContext context) throws SQLException {
        TrimSql sql = sql(context);
        long padded = context.db().queryLong(sql.countPadded());
        long rows = context.db().queryLong(context.dialect().sql().syntax().countRows(context.table(table)));
        List<String> samples = TrimSql.format(context.db().sample(sql.paddedKeys(5), 5));
        return new StepEstimate(0, padded, padded, rows, samples, padded == 0, List.of());
    }

    @Override
    public List<ArchiveSpec> archives(StepContext context) throws SQLException {
        return List.of(new ArchiveSpec(BEFORE, context.table(table), List.of(), true));
    }

    @Override
    public StepOutcome apply(StepContext context) throws SQLException {
        TrimSql sql = sql(context);
        ResolvedTable archive = context.archive(BEFORE);
        long archived = context.db().update(sql.archivePadded(archive));
        long trimmed = context.db().update(sql.trimArchived(archive));
        if (archived != trimmed) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED,
                    "archive check failed: " + archived + " before-images of " + table + "." + column + " but " + trimmed + " rows trimmed");
        }
        return new StepOutcome(0, trimmed, archived, archived == 0);
    }

    @Override
    public List<Restore> restoreStatements(StepContext context) throws SQLException {
        ResolvedTable resolved = context.table(table);
        return List.of(Restore.once(context.dialect().sql().archive().restoreColumn(resolved, context.column(resolved, column), context.archive(BEFORE))));
    }

    @Override
    public List<Invariant> invariants(StepContext context) {
        return List.of(new NoPaddedValues(table, column));
    }
}
