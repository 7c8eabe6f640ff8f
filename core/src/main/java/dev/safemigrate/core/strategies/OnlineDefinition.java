package dev.safemigrate.core.strategies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.AllowedTrigger;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an online run is, journaled when it starts (a {@code STRATEGY} entry, as JSON), so {@code recover}, which has no
 * rules file, can rebuild the migration and finish an interrupted run exactly as the next {@code migrate} of the rules
 * file would: the steps as declared (a dedupe and the add_unique of its key, the only shape online mode runs), the
 * online options, the guard fraction and the allowed triggers. Id, description and checksum are the history row's.
 * Plain names and numbers only, so the form does not follow the model's Java types; {@code version} tells a later
 * safemigrate which form it reads.
 */
record OnlineDefinition(int version, double maxDeleteFraction, List<StepDefinition> steps, long maxLockMs, Long batchRows, long pauseMs,
                        List<TriggerDefinition> allowedTriggers) {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** A dedupe ({@code type} "dedupe": table, key, order, nulls, archive, repoint) or an add_unique ({@code type} "add_unique": table, name, columns, nulls). */
    record StepDefinition(String type, String table, List<String> columns, List<String> orderBy, String nulls, boolean archive, List<RepointDefinition> repoint,
                          String name) {
    }

    record RepointDefinition(String table, String column, String onConflict) {
    }

    record TriggerDefinition(String name, String table, String effect) {
    }

    /** The JSON of {@code migration}, an online one of the shape {@link OnlineStrategy#refusal} accepts. */
    static String json(Migration migration) {
        Online online = migration.online().orElseThrow();
        List<StepDefinition> steps = migration.steps().stream().map(OnlineDefinition::step).toList();
        List<TriggerDefinition> triggers = migration.allowedTriggers().stream()
                .map(t -> new TriggerDefinition(t.name(), t.table().orElse(null), t.effect())).toList();
        OnlineDefinition definition = new OnlineDefinition(VERSION, migration.guards().maxDeleteFraction(), steps, online.maxLock().toMillis(),
                online.batchRows().isPresent() ? online.batchRows().getAsLong() : null, online.pause().toMillis(), triggers);
        try {
            return JSON.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the online run's definition could not be written as JSON", e);
        }
    }

    private static StepDefinition step(Step step) {
        if (step instanceof DedupeStep dedupe) {
            return new StepDefinition("dedupe", dedupe.table().toString(), dedupe.key(), dedupe.orderBy().stream().map(OrderItem::toString).toList(),
                    name(dedupe.nulls()), dedupe.archive(), dedupe.repoint().stream()
                    .map(r -> new RepointDefinition(r.table().toString(), r.column(), r.onConflict().name())).toList(), null);
        }
        AddUniqueStep unique = (AddUniqueStep) step;
        return new StepDefinition("add_unique", unique.table().toString(), unique.columns(), List.of(),
                name(unique.nulls()), false, List.of(), unique.name());
    }

    /** An add_unique without its own {@code nulls:} takes its dedupe's while planning: null stays null. */
    private static String name(NullsMode nulls) {
        return nulls == null ? null : nulls.name();
    }

    /**
     * The migration the JSON {@code text} defines, under the id, description and checksum of {@code entry} (its history
     * row); invalid (exit 2) when the text is not a definition this version reads.
     */
    static Migration migration(String text, HistoryEntry entry) {
        OnlineDefinition definition;
        try {
            definition = JSON.readValue(text, OnlineDefinition.class);
        } catch (JsonProcessingException e) {
            throw SafeMigrateException.invalid("the journaled definition of the online run of " + entry.id() + " cannot be read: " + e.getOriginalMessage());
        }
        if (definition.version() != VERSION) {
            throw SafeMigrateException.invalid("the journaled definition of the online run of " + entry.id() + " is of version "
                    + definition.version() + ", which this safemigrate (version " + VERSION + ") does not read");
        }
        List<Step> steps = definition.steps().stream().map(OnlineDefinition::step).toList();
        List<AllowedTrigger> triggers = definition.allowedTriggers().stream()
                .map(t -> new AllowedTrigger(t.name(), Optional.ofNullable(t.table()), t.effect())).toList();
        Online online = new Online(Duration.ofMillis(definition.maxLockMs()),
                definition.batchRows() == null ? OptionalLong.empty() : OptionalLong.of(definition.batchRows()), Duration.ofMillis(definition.pauseMs()));
        return new Migration(entry.id(), entry.description(), entry.checksum(), "the journal of the interrupted run of " + entry.id(),
                new Guards(definition.maxDeleteFraction()), steps, List.of(), List.of(), triggers).inOnlineMode(online);
    }

    private static Step step(StepDefinition step) {
        TableName table = TableName.parse(step.table());
        NullsMode nulls = step.nulls() == null ? null : NullsMode.valueOf(step.nulls());
        return switch (step.type()) {
            case "dedupe" -> new DedupeStep(table, step.columns(), step.orderBy().stream().map(OrderItem::parse).toList(), nulls, step.archive(),
                    step.repoint().stream().map(r -> new Repoint(TableName.parse(r.table()), r.column(), Repoint.OnConflict.valueOf(r.onConflict()))).toList());
            case "add_unique" -> new AddUniqueStep(table, step.name(), step.columns(), nulls);
            default -> throw SafeMigrateException.invalid("the journaled definition of an online run has a step of type " + step.type()
                    + ", which online mode does not run");
        };
    }
}
