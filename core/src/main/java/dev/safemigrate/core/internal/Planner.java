package dev.safemigrate.core.internal;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.AllowedTrigger;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.strategies.OnlineStrategy;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.spi.TableWrite;
import dev.safemigrate.core.spi.Trigger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Decides everything before anything runs: step order, validation, triggers, strategy, estimates. Read-only. */
final class Planner {
    /** The strategy {@code mode: online} asks for. */
    static final String ONLINE = OnlineStrategy.NAME;

    private Planner() {
    }

    /**
     * {@code estimate}: check the preconditions and count what each step would do, for {@code plan}.
     * {@code migrate} does neither here: it checks preconditions under the run's locks, and the counts are
     * full passes over the tables (each step checks its guards on the rows it archives).
     */
    static PlannedMigration plan(Session session, Migration migration, boolean estimate) throws SQLException {
        RunContext context = new RunContext(session, migration.id(), migration.guards());
        List<Step> steps = executionOrder(migration.steps(), context);
        for (int i = 0; i < steps.size(); i++) {
            steps.get(i).validate(context.step(i));
        }
        PlannedMigration planned = new PlannedMigration(migration, steps, new ArrayList<>(), context,
                firingTriggers(session, migration, steps, context), null, List.of());
        planned = chooseStrategy(session, planned);
        if (estimate) {
            RunTables.refuseArchivesHoldingRows(session, planned);
            Checks.requirePreconditions(session, planned);
            for (int i = 0; i < steps.size(); i++) {
                planned.estimates().add(withEarlierWrites(steps, i, steps.get(i).estimate(context.step(i))));
            }
        }
        return planned;
    }

    /**
     * A step's counts are made on the data as it is now, not as the data steps before it will leave it (plan
     * changes nothing): where one of those writes a table this step works on, the estimate says so.
     */
    private static StepEstimate withEarlierWrites(List<Step> steps, int index, StepEstimate estimate) {
        Set<TableName> tables = steps.get(index).writes().stream().map(TableWrite::table).collect(Collectors.toSet());
        List<String> notes = new ArrayList<>();
        for (int j = 0; j < index; j++) {
            Step earlier = steps.get(j);
            List<String> shared = earlier.kind() == StepKind.DML ? earlier.writes().stream().filter(w -> !w.events().isEmpty())
                    .map(TableWrite::table).filter(tables::contains).map(TableName::toString).distinct().toList() : List.of();
            if (!shared.isEmpty()) {
                notes.add("counted on the data as it is now: " + earlier.summary() + " runs first and changes " + String.join(", ", shared)
                        + ", so migrate's counts for this step can differ");
            }
        }
        return notes.isEmpty() ? estimate : estimate.withNotes(notes);
    }

    /**
     * DML steps in file order, then DDL steps in file order (DDL commits on some databases, so it can only
     * come after the data transaction); then each step as it runs among the others ({@link Step#inMigration}).
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
                ddl.add(step);
            }
        }
        List<Step> ordered = new ArrayList<>(dml);
        ordered.addAll(ddl);
        List<Step> adjusted = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            adjusted.add(ordered.get(i).inMigration(ordered, context.step(i)));
        }
        return adjusted;
    }

    /**
     * The strategy the steps ask for, refused (exit 3, with its reason) if it cannot run the migration; else
     * the default with the highest priority that can. Notes say why each other strategy would not run it.
     */
    private static PlannedMigration chooseStrategy(Session session, PlannedMigration planned) throws SQLException {
        Set<String> asked = planned.steps().stream().map(Step::strategy).flatMap(Optional::stream).collect(Collectors.toCollection(TreeSet::new));
        boolean online = planned.migration().online().isPresent();
        if (online && !asked.isEmpty()) {
            throw SafeMigrateException.invalid("migration " + planned.migration().id() + ": mode: online runs it with the online strategy,"
                    + " but its steps ask for " + asked + "; remove one of them");
        }
        if (online) {
            asked.add(ONLINE);
        }
        if (asked.size() > 1) {
            throw SafeMigrateException.invalid("migration " + planned.migration().id() + ": its steps ask for different strategies " + asked);
        }
        List<Strategy> candidates = new ArrayList<>(session.strategies.values());
        candidates.sort(Comparator.comparingInt(Strategy::defaultPriority).reversed().thenComparing(Strategy::name));
        Strategy chosen = null;
        List<String> notes = new ArrayList<>();
        for (Strategy strategy : candidates) {
            Optional<String> refusal = strategy.refusal(planned);
            boolean eligible = asked.isEmpty() ? strategy.defaultPriority() >= 0 : asked.contains(strategy.name());
            if (chosen == null && eligible && refusal.isEmpty()) {
                chosen = strategy;
            } else if (asked.contains(strategy.name())) {
                throw SafeMigrateException.refused("migration " + planned.migration().id() + ": " + (online ? "mode: online" : "strategy: "
                        + strategy.name()) + " is refused: " + refusal.orElseThrow() + "; remove it to use the default"
                        + (online ? ", offline, strategy (writers wait for the whole run)" : " strategy"));
            } else {
                notes.add(strategy.name() + ": " + refusal.orElse(eligible ? "could run it too, at a lower priority"
                        : online ? "could run it with mode: offline, where writers wait for the whole run"
                        : "could run it, when a step asks for it (strategy: " + strategy.name() + ")"));
            }
        }
        if (chosen == null) {
            String known = String.join(", ", new TreeSet<>(session.strategies.keySet()));
            throw SafeMigrateException.refused("migration " + planned.migration().id() + ": no strategy can run it here"
                    + (asked.isEmpty() ? "" : ": " + asked + " is not one of the known strategies (" + known + ")") + "; " + String.join("; ", notes));
        }
        return planned.withStrategy(chosen, notes);
    }

    /**
     * Triggers (and rules) that would fire on the row changes of the steps, their reversal or undo: refused,
     * naming each, unless the rules file allows them; the allowed ones are returned, so every message about
     * a reversal can say what was not put back, and plan warns about them. The key guard an online run of the
     * migration installed is its own (it is there while an interrupted run waits to be resumed).
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
                ResolvedTable table = context.step(i).table(write.table());
                for (Trigger trigger : session.catalog.triggers(table)) {
                    if (!trigger.firesOnAny(write.events()) || !seen.add(trigger.table() + "/" + trigger.name())
                            || migration.online().isPresent() && OnlineStrategy.isOwnGuard(context.step(0), table, trigger.name())) {
                        continue;
                    }
                    String fires = trigger.kind() + " " + trigger.name() + " on " + trigger.table() + " fires on " + names(trigger.events());
                    Optional<AllowedTrigger> allowance = migration.allowedTriggers().stream().filter(a -> a.covers(trigger.name(), trigger.table())).findFirst();
                    if (allowance.isPresent()) {
                        allowed.add(new PlannedMigration.FiringTrigger(trigger.name(), trigger.table(), allowance.get().effect()));
                        context.warn(fires + "; allowed by the rules file, which says it " + allowance.get().effect()
                                + ". safemigrate neither archives nor reverses what it does");
                    } else {
                        refused.add(fires + " (" + steps.get(i).summary() + " makes " + names(write.events()) + " there, counting a reversal or undo)");
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

    private static String names(Set<? extends Enum<?>> events) {
        return events.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
    }
}
