package dev.safemigrate.core.spi;

import dev.safemigrate.core.SafeMigrateException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of one step as written in a rules file. Every accessor reports a wrong or missing
 * value with the file, line and column where it was (or should have been) written.
 */
public interface StepArgs {
    /** Fails naming any field not in {@code known}. */
    void allowOnly(Set<String> known);

    String text(String field);

    Optional<String> optionalText(String field);

    /** A list of strings; a single string is taken as a list of one. */
    List<String> texts(String field);

    boolean bool(String field, boolean defaultValue);

    Optional<StepArgs> object(String field);

    List<StepArgs> objects(String field);

    /** An error at {@code field} (or at this object when the field is absent). */
    SafeMigrateException error(String field, String message);
}
