package dev.safemigrate.core.model;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.Step;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One migration: what a rules file declares. {@code checksum} identifies its normalized content,
 * {@code source} where it came from (a file path, or a label for migrations built in code).
 * {@code allowedTriggers} may fire while it changes rows (every other trigger that would refuses it).
 * {@code online}: {@code mode: online} and its options; empty for the default, offline.
 */
public record Migration(String id, String description, String checksum, String source, Guards guards,
                        List<Step> steps, List<SqlCheck> preconditions, List<SqlCheck> postconditions,
                        List<AllowedTrigger> allowedTriggers, Optional<Online> online) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    public Migration {
        if (id == null || !ID.matcher(id).matches()) {
            throw SafeMigrateException.invalid(source + ": invalid id '" + id + "': expected 1 to 128 of A-Z a-z 0-9 _ . -");
        }
        if (steps == null || steps.isEmpty()) {
            throw SafeMigrateException.invalid(source + ": migration " + id + " has no steps");
        }
        description = description == null ? "" : description;
        steps = List.copyOf(steps);
        preconditions = List.copyOf(preconditions);
        postconditions = List.copyOf(postconditions);
        allowedTriggers = List.copyOf(allowedTriggers);
        online = online == null ? Optional.empty() : online;
    }

    /** An offline migration. */
    public Migration(String id, String description, String checksum, String source, Guards guards,
                     List<Step> steps, List<SqlCheck> preconditions, List<SqlCheck> postconditions, List<AllowedTrigger> allowedTriggers) {
        this(id, description, checksum, source, guards, steps, preconditions, postconditions, allowedTriggers, Optional.empty());
    }

    /** This migration in {@code mode: online} with {@code options}. */
    public Migration inOnlineMode(Online options) {
        return new Migration(id, description, checksum, source, guards, steps, preconditions, postconditions, allowedTriggers, Optional.of(options));
    }

    /** An offline migration that allows no trigger to fire. */
    public Migration(String id, String description, String checksum, String source, Guards guards,
                     List<Step> steps, List<SqlCheck> preconditions, List<SqlCheck> postconditions) {
        this(id, description, checksum, source, guards, steps, preconditions, postconditions, List.of());
    }
}
