package dev.safemigrate.core.spi;

import dev.safemigrate.core.model.Migration;
import java.util.List;

/** A validated migration as a strategy sees it before deciding whether it can run it: read-only. */
public interface PlannedRun {
    Migration migration();

    /** The steps in the order they run: data steps in file order, then DDL steps. */
    List<Step> steps();

    /** What step {@code index} of {@link #steps} uses: the database, its dialect and catalog, and (in a run) its archives. */
    StepContext context(int index);
}
