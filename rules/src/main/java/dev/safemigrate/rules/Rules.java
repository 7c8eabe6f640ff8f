package dev.safemigrate.rules;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NaturalOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads rules files (YAML) into validated migrations. Every problem in a file is a
 * {@link SafeMigrateException} with exit code {@link ExitCode#INVALID} whose message starts with
 * {@code file:line:column:} and says what was expected there.
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
        return inOrder(files(paths).stream().map(file -> parse(extensions, read(file), file.toString())).toList());
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
        return new MigrationReader(extensions.stepTypes()).read(YamlTree.read(yaml, source), source);
    }

    /** The files named or contained, each once, even when a file is given both alone and through its directory. */
    private static List<Path> files(List<Path> paths) {
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : expand(path)) {
                if (seen.add(file.toAbsolutePath().normalize())) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    private static List<Path> expand(Path path) {
        if (!Files.exists(path)) {
            throw SafeMigrateException.invalid(path + ": no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.filter(Files::isRegularFile).filter(Rules::isYaml).sorted().toList();
        } catch (IOException e) {
            throw new SafeMigrateException(ExitCode.INVALID, path + ": cannot list the directory: " + e.getMessage(), e);
        }
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SafeMigrateException(ExitCode.INVALID, file + ": cannot read the file (" + e + ")", e);
        }
    }
}
