package dev.safemigrate.rules;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NaturalOrder;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads rules files (YAML) into validated migrations. Every problem in a file is a
 * {@link SafeMigrateException} with exit code {@link ExitCode#INVALID} whose message starts with
 * {@code file:line:column:} and says what was expected there. Sizes and counts are bounded (see the
 * README's "Limits"), each checked before the work it protects.
 */
public final class Rules {
    private Rules() {
    }

    /** Every migration in the given files and directories (directories: every *.yaml / *.yml), in natural order of id. */
    public static List<Migration> load(Path... paths) {
        return load(Extensions.load(), List.of(paths));
    }

    /** As {@link #load(Path...)}, with the step types of {@code extensions}; two files with the same id are an error. */
    public static List<Migration> load(Extensions extensions, List<Path> paths) {
        return inOrder(RulesFiles.list(paths).stream()
                .map(file -> parse(extensions, RulesText.decode(RulesFiles.read(file), file.toString()), file.toString())).toList());
    }

    /** {@code migrations} in natural order of id, as {@link #load} returns them; two with the same id are an error. */
    public static List<Migration> inOrder(List<Migration> migrations) {
        Map<String, Migration> byId = new HashMap<>();
        for (Migration migration : migrations) {
            Migration clash = byId.putIfAbsent(migration.id(), migration);
            if (clash != null) {
                throw SafeMigrateException.invalid("duplicate migration id '" + migration.id() + "' in " + clash.source()
                        + " and " + migration.source() + ": every migration needs its own id");
            }
        }
        return byId.values().stream().sorted(Comparator.comparing(Migration::id, NaturalOrder.INSTANCE)).toList();
    }

    /** One migration from YAML text; {@code source} names it in errors (a file path). */
    public static Migration parse(Extensions extensions, String yaml, String source) {
        return new MigrationReader(extensions.stepTypes()).read(YamlTree.read(RulesText.check(yaml, source), source), source);
    }
}
