package dev.safemigrate.core.spi;

/** Makes a {@link Step} from the arguments written under its key in a rules file. */
public interface StepType {
    /** Builds the step, or throws a {@code SafeMigrateException} made with {@link StepArgs#error}. */
    Step create(StepArgs args);
}
