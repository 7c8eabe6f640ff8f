package dev.safemigrate.core.spi;

import java.util.Set;

/**
 * Anything that runs code of the user's when rows of a table change: a trigger, or on PostgreSQL a rule.
 * {@code events} are the row changes it fires on; {@code kind} names it for messages ("trigger", "rule").
 */
public record Trigger(String name, String table, Set<DmlEvent> events, String kind) {
    public Trigger {
        events = Set.copyOf(events);
    }

    public boolean firesOnAny(Set<DmlEvent> changes) {
        return changes.stream().anyMatch(events::contains);
    }
}
