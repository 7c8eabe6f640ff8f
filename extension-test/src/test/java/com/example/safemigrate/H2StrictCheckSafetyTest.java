package com.example.safemigrate;

import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.CheckSafetyKit;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The outside dialect delegates its check policy to H2's: the same effect (FILE_WRITE) is refused wherever it hides. */
class H2StrictCheckSafetyTest extends CheckSafetyKit {
    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("pwned.txt");
    }

    @Override
    protected TestDatabase.Provider provider() {
        return StrictH2.DATABASES;
    }

    @Override
    protected SafeMigrate.Builder configure(SafeMigrate.Builder builder) {
        return StrictH2.choose(builder);
    }

    @Override
    protected void prepareEffect() throws Exception {
        Fixture.execute(dataSource, "SELECT 1");
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
