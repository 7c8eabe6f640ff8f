package dev.safemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.safemigrate.core.RunListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a migrate process with SIGKILL at a phase (between its committed data transaction and its DDL
 * is the hard one), then runs migrate again: it must complete or reverse the interrupted run and then
 * apply the migration, losing no row.
 */
class CrashTest {
    @TempDir
    Path tmp;

    /** The CLI as a separate JVM, with the test class path; with {@code pauseAt}, it pauses there ({@link PausingMain}). */
    static ProcessBuilder cli(List<String> jvmOptions, String pauseAt, String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath));
        command.addAll(pauseAt == null ? List.of(Main.class.getName()) : List.of(PausingMain.class.getName(), pauseAt));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    @ParameterizedTest
    @ValueSource(strings = {RunListener.Phase.PREPARED, RunListener.Phase.DML_APPLIED, RunListener.Phase.BETWEEN_PHASES})
    void aRunKilledAtAnyPhaseIsFinishedByTheNextMigrate(String phase) throws Exception {
        // H2 writes commits to disk up to WRITE_DELAY (500 ms) later; a process killed sooner loses them, which
        // takes the database back to a consistent earlier state but leaves nothing to recover. Write at once.
        Fixture db = new Fixture(tmp, ";WRITE_DELAY=0").seeded();
        Path rules = db.rules();
        long rowsBefore = db.count("SELECT COUNT(*) FROM action_invariants");

        Process process = cli(List.of(), phase, "migrate", "--url", db.url, rules.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<String> paused = CompletableFuture.supplyAsync(() -> waitForPause(process));
            String line = paused.get(120, TimeUnit.SECONDS);
            assertThat(line).isEqualTo("paused at " + phase);
        } finally {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }

        Fixture.Result interrupted = db.run("status");
        assertThat(interrupted.out()).as(interrupted.toString()).contains("in_progress");
        assertThat(db.constraintExists()).isFalse();

        Fixture.Result migrate = db.run("migrate", rules.toString());
        assertThat(migrate.code()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).as("migrate says what it recovered").contains("recovered: migration a5_006_action_invariants_unique");

        assertThat(db.longs("SELECT id FROM action_invariants ORDER BY id")).containsExactly(1L, 2L, 4L, 7L);
        assertThat(db.longs("SELECT invariant_id FROM invariant_checks ORDER BY id")).containsExactly(1L, 1L, 2L, 4L, 7L);
        assertThat(db.constraintExists()).isTrue();
        long rowsAfter = db.count("SELECT COUNT(*) FROM action_invariants");
        assertThat(rowsBefore).isEqualTo(rowsAfter + db.archived("action_invariants"));
        assertThat(db.run("status").out()).contains("applied").doesNotContain("in_progress");
        assertThat(db.run("verify", rules.toString()).code()).isZero();
    }

    private static String waitForPause(Process process) {
        StringBuilder seen = new StringBuilder();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                if (line.startsWith("paused at")) {
                    return line;
                }
                seen.append(line).append('\n');
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("the process ended without pausing; its stderr:\n" + seen);
    }
}
