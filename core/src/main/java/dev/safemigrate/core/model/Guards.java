package dev.safemigrate.core.model;

import dev.safemigrate.core.SafeMigrateException;

/** Limits that refuse a migration before it changes anything. */
public record Guards(double maxDeleteFraction) {
    public static final Guards DEFAULT = new Guards(0.5);

    public Guards {
        if (!(maxDeleteFraction >= 0 && maxDeleteFraction <= 1)) {
            throw SafeMigrateException.invalid("max_delete_fraction must be between 0 and 1, not " + maxDeleteFraction);
        }
    }
}
