package dev.safemigrate.core.kit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CheckSafetyKit} for H2 and the dialects built on it: the effect is FILE_WRITE, which no
 * rollback undoes, and the user function a Java alias that writes the same file.
 */
public abstract class H2CheckSafetyKit extends CheckSafetyKit {
    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("pwned.txt");
    }

    @Override
    protected String effect() {
        return "CHAR_LENGTH(FILE_WRITE('pwned', '" + file() + "'))";
    }

    @Override
    protected boolean effectHappened() {
        return Files.exists(file());
    }

    @Override
    protected List<String> userFunction() {
        return List.of("CREATE ALIAS " + USER_FUNCTION + " AS 'int effect() throws Exception { java.nio.file.Files.writeString("
                + "java.nio.file.Path.of(\"" + file() + "\"), \"pwned\"); return 1; }'");
    }
}
