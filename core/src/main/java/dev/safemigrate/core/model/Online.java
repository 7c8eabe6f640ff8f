package dev.safemigrate.core.model;

import dev.safemigrate.core.SafeMigrateException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * {@code mode: online}: the table keeps taking writes while the run cleans it. {@code maxLock} bounds how long a
 * writer waits on a lock the run holds; {@code batchRows} is the number of losers per chunk (empty: sized from the
 * measured chunk time toward {@code maxLock}); {@code pause} is slept between chunks.
 */
public record Online(Duration maxLock, OptionalLong batchRows, Duration pause) {
    public static final Online DEFAULT = new Online(Duration.ofMillis(200), OptionalLong.empty(), Duration.ZERO);
    public static final long MAX_LOCK_MS_LIMIT = 60_000;
    public static final long BATCH_ROWS_LIMIT = 1_000_000;
    public static final long PAUSE_MS_LIMIT = 600_000;

    public Online {
        if (maxLock.toMillis() < 1 || maxLock.toMillis() > MAX_LOCK_MS_LIMIT) {
            throw SafeMigrateException.invalid("max_lock_ms must be 1 to " + MAX_LOCK_MS_LIMIT + ", not " + maxLock.toMillis());
        }
        if (batchRows.isPresent() && (batchRows.getAsLong() < 1 || batchRows.getAsLong() > BATCH_ROWS_LIMIT)) {
            throw SafeMigrateException.invalid("batch_rows must be auto or 1 to " + BATCH_ROWS_LIMIT + ", not " + batchRows.getAsLong());
        }
        if (pause.isNegative() || pause.toMillis() > PAUSE_MS_LIMIT) {
            throw SafeMigrateException.invalid("pause_ms must be 0 to " + PAUSE_MS_LIMIT + ", not " + pause.toMillis());
        }
    }

    /** As written in a rules file and in the journal. */
    public String describe() {
        return "max_lock_ms: " + maxLock.toMillis() + ", batch_rows: " + (batchRows.isPresent() ? batchRows.getAsLong() : "auto")
                + ", pause_ms: " + pause.toMillis();
    }
}
