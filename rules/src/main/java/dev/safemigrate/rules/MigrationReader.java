package dev.safemigrate.rules;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.AllowedTrigger;
import dev.safemigrate.core.model.Expectation;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/** Turns the YAML tree of one rules file into a {@link Migration}. */
final class MigrationReader {
    private static final Set<String> FIELDS = Set.of("id", "description", "guards", "steps", "preconditions", "postconditions",
            "allow_triggers", "mode", "online");
    private static final String NUMBER_OR_RANGE = "a whole number, or {min: N} / {max: N} / {min: N, max: N}";

    private final Map<String, StepType> stepTypes;

    MigrationReader(Map<String, StepType> stepTypes) {
        this.stepTypes = stepTypes;
    }

    Migration read(Node root, String source) {
        if (!(root instanceof Node.Mapping)) {
            throw root.mark().error("", "expected a map with id and steps, found " + root.describe());
        }
        YamlArgs doc = YamlArgs.of(root, "");
        doc.allowOnly(FIELDS);
        String id = doc.text("id");
        String description = doc.optionalText("description").orElse("");
        Guards guards = doc.map("guards").map(MigrationReader::guards).orElse(Guards.DEFAULT);
        List<Step> steps = steps(doc);
        List<SqlCheck> preconditions = checks(doc, "preconditions");
        List<SqlCheck> postconditions = checks(doc, "postconditions");
        List<AllowedTrigger> triggers = allowedTriggers(doc);
        Optional<Online> online = online(doc);
        try {
            return new Migration(id, description, Checksum.of(root), source, guards, steps, preconditions, postconditions, triggers, online);
        } catch (SafeMigrateException e) {
            // Steps were checked above, so only the id can be wrong; core's message starts with the bare file name.
            throw doc.error("id", withoutPrefix(e.getMessage(), source));
        }
    }

    private static Guards guards(YamlArgs guards) {
        guards.allowOnly(Set.of("max_delete_fraction"));
        double fraction = guards.number("max_delete_fraction").orElse(Guards.DEFAULT.maxDeleteFraction());
        try {
            return new Guards(fraction);
        } catch (SafeMigrateException e) {
            throw guards.error("max_delete_fraction", e.getMessage());
        }
    }

    /** {@code mode: offline | online} and, with online, {@code online: {max_lock_ms, batch_rows: auto | N, pause_ms}}. */
    private static Optional<Online> online(YamlArgs doc) {
        String mode = doc.optionalText("mode").orElse("offline");
        if (!mode.equals("offline") && !mode.equals("online")) {
            throw doc.error("mode", "expected offline or online, found '" + mode + "'");
        }
        Optional<YamlArgs> options = doc.map("online");
        if (mode.equals("offline")) {
            if (options.isPresent()) {
                throw doc.error("online", "online options apply only with mode: online");
            }
            return Optional.empty();
        }
        if (options.isEmpty()) {
            return Optional.of(Online.DEFAULT);
        }
        YamlArgs online = options.get();
        online.allowOnly(Set.of("max_lock_ms", "batch_rows", "pause_ms"));
        long maxLock = bounded(online, "max_lock_ms", Online.DEFAULT.maxLock().toMillis(), 1, Online.MAX_LOCK_MS_LIMIT);
        long pause = bounded(online, "pause_ms", 0, 0, Online.PAUSE_MS_LIMIT);
        OptionalLong batch = OptionalLong.empty();
        if (!online.optionalText("batch_rows").orElse("auto").equals("auto")) {
            batch = OptionalLong.of(bounded(online, "batch_rows", 0, 1, Online.BATCH_ROWS_LIMIT));
        }
        return Optional.of(new Online(Duration.ofMillis(maxLock), batch, Duration.ofMillis(pause)));
    }

    private static long bounded(YamlArgs args, String field, long defaultValue, long min, long max) {
        String expected = "a whole number from " + min + " to " + max + (field.equals("batch_rows") ? ", or auto" : "");
        long value = args.wholeNumber(field, expected).orElse(defaultValue);
        if (value < min || value > max) {
            throw args.error(field, "expected " + expected + ", found " + value);
        }
        return value;
    }

    private List<Step> steps(YamlArgs doc) {
        List<Node> items = doc.list("steps");
        if (items.isEmpty()) {
            throw doc.error("steps", "expected a non-empty list of steps, like '- dedupe: {...}'");
        }
        atMost(doc, "steps", items.size(), Limits.STEPS);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            steps.add(step(items.get(i), "steps[" + i + "]"));
        }
        return steps;
    }

    private Step step(Node item, String path) {
        String known = String.join(", ", new TreeSet<>(stepTypes.keySet()));
        if (!(item instanceof Node.Mapping mapping) || mapping.fields().size() != 1) {
            throw item.mark().error(path, "expected a map with exactly one key, the step type (one of: " + known + "), found "
                    + (item instanceof Node.Mapping mapping ? mapping.fields().size() + " keys" : item.describe()));
        }
        Node.Field field = mapping.fields().values().iterator().next();
        StepType type = stepTypes.get(field.name());
        if (type == null) {
            throw field.nameMark().error(path, "unknown step type '" + field.name() + "'; known types: " + known);
        }
        String stepPath = path + "." + field.name();
        try {
            return type.create(YamlArgs.of(field.value(), stepPath));
        } catch (SafeMigrateException e) {
            // A step type should report through StepArgs.error; anything it did not locate is placed at the step.
            throw field.nameMark().error(stepPath, e.getMessage());
        }
    }

    /** Refuses more than {@code limit} items before any is read. */
    private static void atMost(YamlArgs doc, String field, int count, int limit) {
        if (count > limit) {
            throw doc.error(field, count + " items; a migration may have at most " + limit + ": split it into several rules files");
        }
    }

    private static List<SqlCheck> checks(YamlArgs doc, String field) {
        atMost(doc, field, doc.list(field).size(), Limits.CHECKS);
        return doc.maps(field).stream().map(check -> {
            check.allowOnly(Set.of("sql", "expect"));
            String sql = check.text("sql");
            Expectation expect = expectation(check);
            String location = check.mark().toString();
            try {
                return new SqlCheck(sql, expect, location);
            } catch (SafeMigrateException e) {
                // Core's message starts with the check's location; point at its sql instead.
                throw check.error("sql", withoutPrefix(e.getMessage(), location));
            }
        }).toList();
    }

    /** {@code allow_triggers: [{name: t, table: optional, effect: what it does}]}: triggers the user lets fire, in their words. */
    private static List<AllowedTrigger> allowedTriggers(YamlArgs doc) {
        return doc.maps("allow_triggers").stream().map(item -> {
            item.allowOnly(Set.of("name", "table", "effect"));
            String name = item.text("name");
            Optional<String> table = item.optionalText("table");
            String effect = item.optionalText("effect").orElse("");
            try {
                return new AllowedTrigger(name, table, effect);
            } catch (SafeMigrateException e) {
                throw item.error(effect.isBlank() ? "effect" : "name", e.getMessage());
            }
        }).toList();
    }

    private static String withoutPrefix(String message, String prefix) {
        return message.startsWith(prefix + ": ") ? message.substring(prefix.length() + 2) : message;
    }

    private static Expectation expectation(YamlArgs check) {
        if (check.node("expect").orElse(null) instanceof Node.Mapping) {
            YamlArgs range = check.map("expect").orElseThrow();
            range.allowOnly(Set.of("min", "max"));
            OptionalLong min = range.wholeNumber("min", "a whole number");
            OptionalLong max = range.wholeNumber("max", "a whole number");
            if (min.isEmpty() && max.isEmpty()) {
                throw check.error("expect", "expected " + NUMBER_OR_RANGE);
            }
            if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
                throw check.error("expect", "min " + min.getAsLong() + " is greater than max " + max.getAsLong());
            }
            return new Expectation(OptionalLong.empty(), min, max);
        }
        OptionalLong exactly = check.wholeNumber("expect", NUMBER_OR_RANGE);
        return Expectation.exactly(exactly.orElseThrow(() -> check.error("expect", "missing: expected " + NUMBER_OR_RANGE)));
    }
}
