package dev.safemigrate.dialect.h2;

import dev.safemigrate.core.kit.CheckSafetyKit;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The effect: FILE_WRITE, which no rollback undoes; the user function is a Java alias that writes the same file. */
class H2CheckSafetyTest extends CheckSafetyKit {
    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("pwned.txt");
    }

    @Override
    protected TestDatabase.Provider provider() {
        return H2Databases.INSTANCE;
    }

    @Override
    protected void prepareEffect() throws Exception {
        Fixture.execute(dataSource, "SELECT 1");
    }

    @Override
    protected String effect() {
        return "LENGTH(FILE_WRITE('pwned', '" + file() + "'))";
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
