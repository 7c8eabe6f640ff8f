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
import java.util.Optional;
import java.util.Set;
import dev.safemigrate.core.model.AllowedTrigger;
import dev.safemigrate.core.spi.TableWrite;
import dev.safemigrate.core.spi.Trigger;

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
        List<PlannedMigration.FiringTrigger> triggers = firingTriggers(session, migration, steps, context);
        PlannedMigration planned = new PlannedMigration(migration, steps, new ArrayList<>(), context, strategy, triggers);
        if (estimate) {
            // migrate checks them under the run's table locks instead (MigrationRun.lockTables), where no write can slip in after.
            Checks.requirePreconditions(session, planned);
            for (int i = 0; i < steps.size(); i++) {
                planned.estimates().add(steps.get(i).estimate(context.step(i)));
            }
        }
        return planned;
    }

    /**
     * Triggers (and rules) that would fire on the row changes of the steps, their reversal or undo: refused,
     * naming each, unless the rules file allows them; the allowed ones are returned, so every message about
     * a reversal can say what was not put back, and plan warns about them.
     */
    private static List<PlannedMigration.FiringTrigger> firingTriggers(Session session, Migration migration, List<Step> steps, RunContext context)
            throws SQLException {
        List<PlannedMigration.FiringTrigger> allowed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            for (TableWrite write : steps.get(i).writes()) {
                if (write.events().isEmpty()) {
                    continue;
                }
                for (Trigger trigger : session.catalog.triggers(context.step(i).table(write.table()))) {
                    if (!trigger.firesOnAny(write.events()) || !seen.add(trigger.table() + "/" + trigger.name())) {
                        continue;
                    }
                    String fires = trigger.kind() + " " + trigger.name() + " on " + trigger.table() + " fires on "
                            + trigger.events().stream().sorted().map(Enum::name).collect(java.util.stream.Collectors.joining(", "));
                    Optional<AllowedTrigger> allowance = migration.allowedTriggers().stream().filter(a -> a.covers(trigger.name(), trigger.table())).findFirst();
                    if (allowance.isPresent()) {
                        allowed.add(new PlannedMigration.FiringTrigger(trigger.name(), trigger.table(), allowance.get().effect()));
                        context.warn(fires + "; allowed by the rules file, which says it " + allowance.get().effect()
                                + ". safemigrate neither archives nor reverses what it does");
                    } else {
                        refused.add(fires + " (" + steps.get(i).summary() + " makes " + write.events().stream().sorted().map(Enum::name)
                                .collect(java.util.stream.Collectors.joining(", ")) + " there, counting a reversal or undo)");
                    }
                }
            }
        }
        if (!refused.isEmpty()) {
            throw SafeMigrateException.refused("migration " + migration.id() + " refused, nothing was changed: " + String.join("; ", refused)
                    + ". What a trigger does to other rows would be neither archived nor put back by a reversal or undo. Drop or disable it"
                    + " for the migration, or allow it in the rules file with what it does, e.g. allow_triggers: [{name: <trigger>, effect: <what it does>}]");
        }
        return allowed;
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
