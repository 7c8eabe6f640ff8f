package dev.safemigrate.core.spi;

/** What a step did: rows deleted, updated and archived, or that it had nothing to do. */
public record StepOutcome(long deleted, long updated, long archived, boolean noop) {
    public static final StepOutcome NOOP = new StepOutcome(0, 0, 0, true);
}
