package dev.safemigrate.core.spi;

import java.util.List;

/**
 * Keeps every session from committing a new duplicate of a key while a run removes the existing duplicates
 * of a live table, until the unique constraint exists: a trigger on the table serialises the writers of each
 * key (a lock per key value) and refuses a write when another row already holds the key, with the error the
 * constraint will give. Rows the run's own session writes pass ({@link #bypass}), so it can put duplicates back
 * when it reverses. Installed and removed with DDL that needs the table only briefly.
 */
public interface KeyGuard {
    /**
     * Statements that install guard {@code name} on {@code table} for {@code key} (NULL keys are never duplicates
     * unless {@code nullsEqual}); each safe to repeat. The key should be indexed: the trigger looks the key up.
     */
    List<String> install(ResolvedTable table, List<String> key, boolean nullsEqual, String name);

    /** Statements that remove guard {@code name} from {@code table}; each safe to repeat, and a no-op where it is gone. */
    List<String> remove(ResolvedTable table, String name);

    /** Statements that let this session's writes through the guards ({@code on}), or not. */
    List<String> bypass(boolean on);
}
