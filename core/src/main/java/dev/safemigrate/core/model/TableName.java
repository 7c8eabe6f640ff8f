package dev.safemigrate.core.model;

import dev.safemigrate.core.SafeMigrateException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A table name from a rules file: validated to be a plain identifier with an optional schema,
 * never SQL. It is resolved against the catalog before use and quoted by the dialect.
 */
public record TableName(Optional<String> schema, String name) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    public TableName {
        schema.ifPresent(s -> requireIdentifier(s, "schema"));
        requireIdentifier(name, "table");
    }

    /** Parses {@code table} or {@code schema.table}. */
    public static TableName parse(String text) {
        if (text == null) {
            throw SafeMigrateException.invalid("a table name is required");
        }
        int dot = text.indexOf('.');
        if (dot < 0) {
            return new TableName(Optional.empty(), text);
        }
        return new TableName(Optional.of(text.substring(0, dot)), text.substring(dot + 1));
    }

    /** Checks that {@code text} is a bare identifier; {@code what} names it in the error. */
    public static String requireIdentifier(String text, String what) {
        if (text == null || !IDENTIFIER.matcher(text).matches()) {
            throw SafeMigrateException.invalid("invalid " + what + " name " + quoteForMessage(text)
                    + ": names may contain only letters, digits, '_' and '$' (at most 63), and must not start with a digit");
        }
        return text;
    }

    private static String quoteForMessage(String text) {
        return text == null ? "(missing)" : "'" + text + "'";
    }

    @Override
    public String toString() {
        return schema.map(s -> s + "." + name).orElse(name);
    }
}
