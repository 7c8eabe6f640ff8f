package dev.safemigrate.rules;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.model.Migration;
import java.nio.file.Path;
import java.util.List;

/** Reads rules files (YAML) into validated migrations. */
public final class Rules {
    private Rules() {
    }

    /** Every migration in the given files and directories (directories: every *.yaml / *.yml), in natural order of id. */
    public static List<Migration> load(Path... paths) {
        return load(Extensions.load(), List.of(paths));
    }

    public static List<Migration> load(Extensions extensions, List<Path> paths) {
        throw new UnsupportedOperationException("not written yet");
    }

    /** One migration from YAML text; {@code source} names it in errors (a file path). */
    public static Migration parse(Extensions extensions, String yaml, String source) {
        throw new UnsupportedOperationException("not written yet");
    }
}
