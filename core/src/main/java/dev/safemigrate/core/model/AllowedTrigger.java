package dev.safemigrate.core.model;

import dev.safemigrate.core.SafeMigrateException;
import java.util.Optional;

/**
 * A trigger (or PostgreSQL rule) that the rules file lets fire while the migration changes rows, with what
 * it does in the user's words. safemigrate neither archives nor reverses a trigger's effects, so every
 * message about a reversal or undo repeats {@code effect} instead of claiming the database is as it was.
 * {@code table} narrows the name to one table; empty matches the name on any table the migration changes.
 */
public record AllowedTrigger(String name, Optional<String> table, String effect) {
    public AllowedTrigger {
        TableName.requireIdentifier(name, "trigger");
        table.ifPresent(TableName::parse);
        if (effect == null || effect.isBlank()) {
            throw SafeMigrateException.invalid("allowed trigger " + name + ": effect must say what the trigger does to other rows;"
                    + " safemigrate will neither archive nor reverse it");
        }
    }

    /** Whether this allowance covers the trigger {@code triggerName} on {@code onTable} (as the catalog spells them). */
    public boolean covers(String triggerName, String onTable) {
        return name.equalsIgnoreCase(triggerName) && table.map(t -> t.equalsIgnoreCase(onTable)
                || onTable.toLowerCase(java.util.Locale.ROOT).endsWith("." + t.toLowerCase(java.util.Locale.ROOT))).orElse(true);
    }
}
