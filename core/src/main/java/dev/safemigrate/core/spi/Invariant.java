package dev.safemigrate.core.spi;

import java.sql.SQLException;

/**
 * A fact about the data that must hold. {@link #check} answers "holds" or "violated"; an exception
 * means "could not check", which is a different outcome.
 */
public interface Invariant {
    /** What is checked, in words: names the check and the table. */
    String description();

    CheckResult check(StepContext context) throws SQLException;
}
