package dev.safemigrate.core.internal;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a migration's journaled blocker queries: rows that stop its data from being put back exactly
 * (a key taken by a row inserted since; rows the migration changed that were changed again since).
 */
final class Blockers {
    private static final int SAMPLES = 5;

    private Blockers() {
    }

    /** Throws what {@code refusal} makes of the blocking rows (each kind with sample keys), if there are any. */
    static void requireNone(Session session, String migrationId, boolean includeChanged, Function<String, SafeMigrateException> refusal)
            throws SQLException {
        List<String> found = find(session, migrationId, JournalKind.BLOCKER);
        if (includeChanged) {
            found.addAll(find(session, migrationId, JournalKind.CHANGED_SINCE));
        }
        if (!found.isEmpty()) {
            throw refusal.apply(String.join("; ", found));
        }
    }

    /** For each blocker query of {@code kind} that finds rows: what they are, with up to five sample keys. */
    static List<String> find(Session session, String migrationId, JournalKind kind) throws SQLException {
        List<String> found = new ArrayList<>();
        for (JournalEntry blocker : session.journal.of(migrationId).entries(kind)) {
            List<String> keys = session.db.sample(blocker.statement(), SAMPLES).stream().map(k -> "(" + String.join(", ", k) + ")").toList();
            if (!keys.isEmpty()) {
                found.add(blocker.undoStatement() + ", for example " + String.join(", ", keys));
            }
        }
        return found;
    }
}
