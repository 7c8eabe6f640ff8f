package dev.safemigrate.cli;

import dev.safemigrate.core.RunListener;
import java.time.Duration;

/**
 * The demo's injected fault: the run fails right after its first step (the dedupe) has deleted the
 * duplicates and repointed their children, inside the data transaction, as a lost connection or a
 * database error there would make it fail. The demo's own listener throws it; the product has no fault
 * switch.
 */
final class DemoFault implements RunListener {
    /** What the run stops with; a runtime exception from a listener fails the run (see {@link RunListener}). */
    static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }

    @Override
    public void stepFinished(String id, int number, int total, String summary, long rows, Duration elapsed) {
        if (number == 1) {
            throw new InjectedFault("the demo stopped the run right after step 1/" + total + " (" + summary + ") deleted or updated "
                    + Text.count(rows) + " rows");
        }
    }
}
