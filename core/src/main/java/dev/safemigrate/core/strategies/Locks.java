package dev.safemigrate.core.strategies;

import dev.safemigrate.core.spi.TableLocks;
import java.sql.SQLException;

/** Releasing a run's table locks on the way out, whatever else failed: they die with the session anyway. */
final class Locks {
    private Locks() {
    }

    static void releaseQuietly(TableLocks.Release locks) {
        if (locks != null) {
            try {
                locks.release();
            } catch (SQLException ignored) {
                // The session's end releases them.
            }
        }
    }
}
