package dev.safemigrate.core.internal;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.spi.ForeignKey;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Decides everything before anything runs: step order, validation, estimates, strategy. Read-only. */
final class Planner {
    private Planner() {
    }

    /**
     * {@code estimate}: count what each step would do, for {@code plan}. {@code migrate} does not: the
     * counts are full passes over the tables, and each step checks its guards on the rows it archives.
     */
    static PlannedMigration plan(Session session, Migration migration, boolean estimate) throws SQLException {
        RunContext context = new RunContext(session, migration.id(), migration.guards());
        List<Step> steps = executionOrder(migration.steps(), context);
        String strategy = shadowSwapRequested(steps) ? requireShadowSwapAllowed(session, migration, steps, context)
                : session.dialect.supportsTransactionalDdl() ? PlannedMigration.SINGLE_TRANSACTION : PlannedMigration.COMPENSATING;
        for (int i = 0; i < steps.size(); i++) {
            steps.get(i).validate(context.step(i));
        }
        warnAboutUnmatchedKeys(steps, context);
        PlannedMigration planned = new PlannedMigration(migration, steps, new ArrayList<>(), context, strategy);
        Checks.requirePreconditions(session, planned);
        if (estimate) {
            for (int i = 0; i < steps.size(); i++) {
                planned.estimates().add(steps.get(i).estimate(context.step(i)));
            }
        }
        return planned;
    }

    private static boolean shadowSwapRequested(List<Step> steps) {
        return steps.stream().anyMatch(s -> s instanceof DedupeStep d && d.shadowSwap());
    }

    /**
     * Shadow swap replaces the whole table, so it is only sound where nothing else is involved: the
     * dialect supports it, the migration is one dedupe (and an add_unique) of one table, no foreign key
     * points into that table (its child rows would follow the renamed original), and no postcondition
     * (it would read the table before its swap). Anything else is refused before any change.
     */
    private static String requireShadowSwapAllowed(Session session, Migration migration, List<Step> steps, RunContext context)
            throws SQLException {
        DedupeStep dedupe = (DedupeStep) steps.get(0);
        String refused = "migration " + migration.id() + ": strategy: shadow_swap is refused: ";
        if (!session.dialect.supportsShadowSwap()) {
            throw SafeMigrateException.refused(refused + "the " + session.dialect.name() + " dialect does not support it; remove it to use the default strategy");
        }
        boolean shape = steps.size() <= 2 && dedupe.shadowSwap()
                && (steps.size() == 1 || steps.get(1) instanceof AddUniqueStep u && u.table().equals(dedupe.table()));
        if (!shape) {
            throw SafeMigrateException.refused(refused + "it needs a migration of exactly one dedupe, optionally followed by an add_unique of the same table");
        }
        if (!dedupe.repoint().isEmpty()) {
            throw SafeMigrateException.refused(refused + "dedupe of " + dedupe.table() + " repoints child rows, which a table swap cannot do");
        }
        for (ForeignKey fk : session.catalog.foreignKeysInto(context.table(dedupe.table()))) {
            throw SafeMigrateException.refused(refused + "foreign key " + fk.name() + " from " + fk.childDisplayName() + " points into "
                    + dedupe.table() + ", and would follow the original table when it is renamed away");
        }
        if (!migration.postconditions().isEmpty()) {
            throw SafeMigrateException.refused(refused + "postconditions would read " + dedupe.table() + " before it is swapped; remove them or use the default strategy");
        }
        return PlannedMigration.SHADOW_SWAP;
    }

    /**
     * DML steps in file order, then DDL steps in file order: DDL commits on some databases, so it can
     * only come after the data transaction. An {@code add_unique} without {@code nulls} takes the NULL
     * semantics of a dedupe of the same table and columns.
     */
    private static List<Step> executionOrder(List<Step> declared, RunContext context) {
        List<Step> dml = new ArrayList<>();
        List<Step> ddl = new ArrayList<>();
        for (Step step : declared) {
            if (step.kind() == StepKind.DML) {
                if (!ddl.isEmpty()) {
                    context.warn(step.summary() + " is declared after a DDL step; it runs before all DDL steps, in the data transaction");
                }
                dml.add(step);
            } else {
                ddl.add(withNullsOfDedupe(step, declared));
            }
        }
        dml.addAll(ddl);
        return dml;
    }

    private static Step withNullsOfDedupe(Step step, List<Step> declared) {
        if (!(step instanceof AddUniqueStep unique) || unique.nulls() != null) {
            return step;
        }
        NullsMode mode = declared.stream().filter(s -> s instanceof DedupeStep).map(s -> (DedupeStep) s)
                .filter(d -> d.table().equals(unique.table()) && sameColumns(d.key(), unique.columns()))
                .map(DedupeStep::nulls).findFirst().orElse(NullsMode.DISTINCT);
        return unique.withNulls(mode);
    }

    private static boolean sameColumns(List<String> a, List<String> b) {
        return new HashSet<>(a.stream().map(String::toLowerCase).toList()).equals(new HashSet<>(b.stream().map(String::toLowerCase).toList()));
    }

    private static void warnAboutUnmatchedKeys(List<Step> steps, RunContext context) {
        for (Step step : steps) {
            if (step instanceof DedupeStep dedupe) {
                boolean matched = steps.stream().anyMatch(s -> s instanceof AddUniqueStep u && u.table().equals(dedupe.table())
                        && sameColumns(u.columns(), dedupe.key()));
                if (!matched) {
                    context.warn(dedupe.summary() + ": no add_unique on " + dedupe.table() + " with the same columns follows it,"
                            + " so nothing will stop new duplicates from being inserted afterwards");
                }
            }
        }
    }
}
