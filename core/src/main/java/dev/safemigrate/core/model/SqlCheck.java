package dev.safemigrate.core.model;

import dev.safemigrate.core.SafeMigrateException;
import java.util.Locale;

/**
 * A user's read-only check: one SELECT returning one number, and what that number must be.
 * {@code location} says where it was declared (file:line:column) for messages.
 */
public record SqlCheck(String sql, Expectation expect, String location) {
    public SqlCheck {
        String trimmed = sql == null ? "" : sql.strip();
        String head = trimmed.toLowerCase(Locale.ROOT);
        if (!(head.startsWith("select") || head.startsWith("with")) || stripTrailingSemicolon(trimmed).contains(";")) {
            throw SafeMigrateException.invalid(location + ": a check must be a single SELECT (or WITH ... SELECT) statement");
        }
        sql = stripTrailingSemicolon(trimmed);
    }

    private static String stripTrailingSemicolon(String text) {
        return text.endsWith(";") ? text.substring(0, text.length() - 1).strip() : text;
    }
}
