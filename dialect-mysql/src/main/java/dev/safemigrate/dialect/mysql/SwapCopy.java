package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.SQLException;
import java.util.List;

/**
 * The shadow swap's copy: the new table (with the constraint) and the placeholder created, then the survivors
 * copied into it under the run's locks, and proved complete.
 */
final class SwapCopy {
    private final Run run;
    private final SwapTables tables;
    private final DedupeStep dedupe;
    private final AddUniqueStep unique;

    SwapCopy(Run run, SwapTables tables, DedupeStep dedupe, AddUniqueStep unique) {
        this.run = run;
        this.tables = tables;
        this.dedupe = dedupe;
        this.unique = unique;
    }

    /** Journals the new tables (so recovery can find them), then creates the copy with its constraint, and the empty placeholder. */
    void createTables() throws SQLException {
        StepContext context = run.context(0);
        Sql sql = context.dialect().sql();
        ShadowSwapSql swap = new ShadowSwapSql(sql.syntax());
        for (ResolvedTable created : List.of(tables.shadow(), tables.old())) {
            if (context.catalog().tableExists(created.name()) && context.db().queryLong(sql.syntax().countRows(created)) > 0) {
                throw SafeMigrateException.refused("migration " + run.migration().id() + " refused, nothing was changed: the table "
                        + created.name() + " that it would create already exists and holds rows from an earlier run; it is never dropped"
                        + " by safemigrate. Move its rows elsewhere or drop it yourself, then run again");
            }
        }
        tables.journal(run.journal());
        for (ResolvedTable created : List.of(tables.shadow(), tables.old())) {
            if (context.catalog().tableExists(created.name())) {
                context.db().execute(sql.syntax().dropTable(created));
            }
        }
        context.db().execute(swap.createLike(tables.table(), tables.shadow()));
        if (addsConstraint(run, unique)) {
            context.db().execute(sql.constraints().addUnique(tables.shadow(), unique.name(), columns(context, tables.table(),
                    unique.columns()), unique.nulls() == NullsMode.EQUAL));
        }
        context.db().execute(swap.createLike(tables.table(), tables.old()));
    }

    /** Copies the survivors and proves survivors + losers = rows of the table; checks the guard. Returns the losers. */
    long copySurvivors() throws SQLException {
        StepContext context = run.context(0);
        Sql sql = context.dialect().sql();
        ShadowSwapSql swap = new ShadowSwapSql(sql.syntax());
        ResolvedTable table = tables.table();
        for (int i = 0; i < run.steps().size(); i++) {
            run.listener().stepStarted(run.migration().id(), i + 1, run.steps().size(), run.steps().get(i).summary());
        }
        List<String> key = columns(context, table, dedupe.key());
        List<OrderItem> order = dedupe.orderBy().stream().map(o -> new OrderItem(context.column(table, o.column()), o.descending())).toList();
        boolean nullsEqual = dedupe.nulls() == NullsMode.EQUAL;
        long original = context.db().queryLong(sql.syntax().countRows(table));
        long losers = context.db().queryLong(sql.syntax().countRows(sql.dedupe().losers(table, key, order, nullsEqual)));
        if (losers > run.migration().guards().maxDeleteFraction() * original) {
            throw SafeMigrateException.refused(dedupe.summary() + ": would delete " + losers + " of " + original + " rows of " + table
                    + ", more than max_delete_fraction " + run.migration().guards().maxDeleteFraction() + " allows");
        }
        long kept = context.db().update(swap.insertSurvivors(table, tables.shadow(), key, order, nullsEqual));
        long next = context.db().queryLong(swap.nextAutoIncrement(table));
        if (next > 0) {
            context.db().execute(swap.setNextAutoIncrement(tables.shadow(), next));
        }
        long copied = context.db().queryLong(sql.syntax().countRows(tables.shadow()));
        if (kept + losers != original || copied != kept) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "row counts disagree for " + table + ": " + original + " rows, "
                    + losers + " to delete, but " + kept + " copied (" + copied + " in the copy); the table is not swapped");
        }
        run.addResult(0, ShadowSwapStrategy.outcome(losers));
        if (unique != null) {
            run.addResult(1, addsConstraint(run, unique) ? new StepOutcome(0, 0, 0, false) : StepOutcome.NOOP);
        }
        return losers;
    }

    static boolean addsConstraint(Run run, AddUniqueStep unique) throws SQLException {
        return unique != null && !unique.ddl(run.context(1)).isEmpty();
    }

    static List<String> columns(StepContext context, ResolvedTable table, List<String> names) {
        return names.stream().map(c -> context.column(table, c)).toList();
    }
}
