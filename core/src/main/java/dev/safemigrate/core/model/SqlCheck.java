package dev.safemigrate.core.model;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.CheckSql;

/**
 * A user's read-only check: one SELECT returning one number, and what that number must be.
 * {@code location} says where it was declared (file:line:column) for messages. The SQL is held to
 * {@link CheckSql}'s rules here, when the rules are loaded; the dialect's policy is applied when a
 * database is at hand, before anything runs.
 */
public record SqlCheck(String sql, Expectation expect, String location) {
    public SqlCheck {
        try {
            sql = CheckSql.read(sql).statement();
        } catch (SafeMigrateException e) {
            throw SafeMigrateException.invalid(location + ": " + e.getMessage());
        }
    }
}
