package dev.safemigrate.rules;

import dev.safemigrate.core.SafeMigrateException;
import java.util.regex.Pattern;

/** Where a YAML node starts in its file (1-based line and column); every rules error is reported at one. */
record Mark(String source, int line, int column) {
    /**
     * An invalid-rules error here: {@code file:line:column: path: message}. A message that already
     * carries a location in this file is kept as it is: step types re-report errors through
     * {@code StepArgs.error}, and the innermost location is the precise one.
     */
    SafeMigrateException error(String path, String message) {
        if (Pattern.compile(Pattern.quote(source) + ":\\d+:\\d+: ").matcher(message).lookingAt()) {
            return SafeMigrateException.invalid(message);
        }
        return SafeMigrateException.invalid(this + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
