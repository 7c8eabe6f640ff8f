package dev.safemigrate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesLoadTest {
    @TempDir
    Path dir;

    private Path write(String name, String id) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "id: " + id + "\nsteps:\n  - dedupe: {table: t, key: a}\n");
    }

    private static SafeMigrateException loadError(Path... paths) {
        SafeMigrateException e = catchThrowableOfType(SafeMigrateException.class, () -> Rules.load(paths));
        assertThat(e).isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
        return e;
    }

    @Test
    void aDirectoryMeansItsYamlFilesInNaturalOrderOfId() throws IOException {
        // File names deliberately disagree with the ids: the order comes from the ids.
        write("1.yaml", "a10_001");
        write("2.yml", "a5_010");
        write("3.yaml", "a5_006");
        Files.writeString(dir.resolve("notes.txt"), "not a rules file");
        write("nested/4.yaml", "a1_000");

        assertThat(Rules.load(dir)).extracting(Migration::id).containsExactly("a5_006", "a5_010", "a10_001");
    }

    @Test
    void filesAndDirectoriesMixAndAFileNamedTwiceIsReadOnce() throws IOException {
        Path inDir = write("rules/b.yaml", "b");
        Path other = write("elsewhere/a.rules", "a");

        List<Migration> migrations = Rules.load(Extensions.load(), List.of(inDir, dir.resolve("rules"), other));

        assertThat(migrations).extracting(Migration::id).containsExactly("a", "b");
        assertThat(migrations.get(0).source()).isEqualTo(other.toString());
    }

    @Test
    void theSameIdInTwoFilesNamesBothFiles() throws IOException {
        Path first = write("x.yaml", "m1");
        Path second = write("y.yaml", "m1");

        assertThat(loadError(dir).getMessage()).isEqualTo("duplicate migration id 'm1' in " + first + " and " + second
                + ": every migration needs its own id");
    }

    @Test
    void aMissingPathIsAnError() {
        Path missing = dir.resolve("nope");

        assertThat(loadError(missing).getMessage()).isEqualTo(missing + ": no such file or directory");
    }

    @Test
    void errorsInAFileNameThatFile() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "id: m1\n");

        assertThat(loadError(file).getMessage()).startsWith(file + ":1:1: steps: expected a non-empty list");
    }
}
