package dev.safemigrate.core.kit.fuzz;

import dev.safemigrate.core.model.AllowedTrigger;
import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A fuzzed migration as the rules file a user would write, printed with a failing case so it can be run by hand. */
final class FuzzRules {
    private FuzzRules() {
    }

    static String yaml(String id, List<Step> steps, List<SqlCheck> pre, List<SqlCheck> post, List<AllowedTrigger> allowed, Optional<Online> online) {
        StringBuilder text = new StringBuilder("--- # rules file ").append(id).append(".yaml\nid: ").append(id).append('\n');
        online.ifPresent(o -> text.append("mode: online\nonline: {max_lock_ms: ").append(o.maxLock().toMillis()).append(", batch_rows: ")
                .append(o.batchRows().getAsLong()).append("}\n"));
        text.append("steps:\n");
        for (Step step : steps) {
            if (step instanceof DedupeStep d) {
                text.append("  - dedupe:\n      table: ").append(d.table()).append("\n      key: ").append(d.key())
                        .append("\n      keep:\n        order_by: ").append(d.orderBy()).append("\n      archive: ").append(d.archive()).append('\n');
                if (!d.repoint().isEmpty()) {
                    text.append("      repoint:\n");
                    d.repoint().forEach(r -> text.append("        - {table: ").append(r.table()).append(", column: ").append(r.column())
                            .append(", on_conflict: ").append(r.onConflict().name().toLowerCase(Locale.ROOT)).append("}\n"));
                }
            } else if (step instanceof AddUniqueStep u) {
                text.append("  - add_unique: {table: ").append(u.table()).append(", name: ").append(u.name()).append(", columns: ")
                        .append(u.columns()).append("}\n");
            }
        }
        checks(text, "preconditions", pre);
        checks(text, "postconditions", post);
        if (!allowed.isEmpty()) {
            text.append("allow_triggers:\n");
            allowed.forEach(a -> text.append("  - {name: ").append(a.name()).append(", effect: ").append(a.effect()).append("}\n"));
        }
        return text.toString();
    }

    private static void checks(StringBuilder text, String name, List<SqlCheck> checks) {
        if (!checks.isEmpty()) {
            text.append(name).append(":\n");
            checks.forEach(c -> text.append("  - sql: ").append(c.sql()).append("\n    expect: ").append(expectation(c)).append('\n'));
        }
    }

    private static String expectation(SqlCheck check) {
        return check.expect().exactly().isPresent() ? String.valueOf(check.expect().exactly().getAsLong())
                : "{max: " + check.expect().max().getAsLong() + "}";
    }
}
