package dev.safemigrate.core.steps;

import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.StepArgs;
import dev.safemigrate.core.spi.StepModule;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Registers {@code dedupe}, {@code add_unique} and {@code resequence}, the way any jar adds step types. */
public final class BuiltInSteps extends StepModule {
    @Override
    protected void configure() {
        addStepType("dedupe").toInstance(BuiltInSteps::dedupe);
        addStepType("add_unique").toInstance(BuiltInSteps::addUnique);
        addStepType("resequence").toInstance(BuiltInSteps::resequence);
    }

    static DedupeStep dedupe(StepArgs args) {
        args.allowOnly(Set.of("table", "key", "keep", "nulls", "archive", "repoint", "strategy"));
        TableName table = table(args, "table");
        List<OrderItem> order = args.object("keep").map(keep -> {
            keep.allowOnly(Set.of("order_by"));
            return keep.texts("order_by").stream().map(o -> parse(keep, "order_by", () -> OrderItem.parse(o))).toList();
        }).orElse(List.of());
        List<Repoint> repoint = args.objects("repoint").stream().map(r -> {
            r.allowOnly(Set.of("table", "column", "on_conflict"));
            String onConflict = r.optionalText("on_conflict").orElse("fail");
            Repoint.OnConflict mode = switch (onConflict) {
                case "fail" -> Repoint.OnConflict.FAIL;
                case "delete" -> Repoint.OnConflict.DELETE;
                default -> throw r.error("on_conflict", "expected fail or delete, not '" + onConflict + "'");
            };
            TableName child = table(r, "table");
            String column = r.text("column");
            return parse(r, "column", () -> new Repoint(child, column, mode));
        }).toList();
        List<String> key = args.texts("key");
        NullsMode nulls = nulls(args);
        boolean archive = args.bool("archive", true);
        String strategy = args.optionalText("strategy").orElse("default");
        if (!strategy.equals("default") && !strategy.equals("shadow_swap")) {
            throw args.error("strategy", "expected shadow_swap (or default), not '" + strategy + "'");
        }
        boolean shadowSwap = strategy.equals("shadow_swap");
        return parse(args, "key", () -> new DedupeStep(table, key, order, nulls, archive, repoint, shadowSwap));
    }

    static AddUniqueStep addUnique(StepArgs args) {
        args.allowOnly(Set.of("table", "name", "columns", "nulls"));
        TableName table = table(args, "table");
        String rawName = args.text("name");
        String name = parse(args, "name", () -> TableName.requireIdentifier(rawName, "constraint"));
        List<String> columns = args.texts("columns");
        NullsMode nulls = args.optionalText("nulls").isPresent() ? nulls(args) : null;
        return parse(args, "columns", () -> new AddUniqueStep(table, name, columns, nulls));
    }

    static ResequenceStep resequence(StepArgs args) {
        args.allowOnly(Set.of("table", "column", "partition_by", "order_by", "start"));
        TableName table = table(args, "table");
        String column = args.text("column");
        List<String> partition = args.texts("partition_by");
        List<OrderItem> order = args.texts("order_by").stream().map(o -> parse(args, "order_by", () -> OrderItem.parse(o))).toList();
        String startText = args.optionalText("start").orElse("0");
        long start = parse(args, "start", () -> parseLong(startText));
        return parse(args, "column", () -> new ResequenceStep(table, column, partition, order, start));
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw dev.safemigrate.core.SafeMigrateException.invalid("expected a whole number, not '" + text + "'");
        }
    }

    private static NullsMode nulls(StepArgs args) {
        String text = args.optionalText("nulls").orElse("distinct");
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "distinct" -> NullsMode.DISTINCT;
            case "equal" -> NullsMode.EQUAL;
            default -> throw args.error("nulls", "expected distinct or equal, not '" + text + "'");
        };
    }

    private static TableName table(StepArgs args, String field) {
        String text = args.text(field);
        return parse(args, field, () -> TableName.parse(text));
    }

    /** Runs a constructor that validates, re-reporting its error at the field's position. */
    private static <T> T parse(StepArgs args, String field, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (dev.safemigrate.core.SafeMigrateException e) {
            throw args.error(field, e.getMessage());
        }
    }
}
