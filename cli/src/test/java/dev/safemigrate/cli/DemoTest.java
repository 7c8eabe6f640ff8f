package dev.safemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void demoShowsTheNaiveLossTheSafeFailureAndTheRealRun() {
        Fixture.Result result = Fixture.runWithEnv(Map.of(), "demo", "--dir", tmp.toString());
        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("(served by a child H2 process)")
                .contains("action_invariants 110,000 rows (10,000 duplicates)")
                .contains("10,000 rows deleted for good, 5,000 checks orphaned, and no constraint")
                .contains("it stopped with: injected fault at statement 2: DELETE FROM naive.action_arguments")
                .contains("it stopped with: migration a5_006_action_invariants_unique failed: InjectedFault: the demo stopped the run right after step 1/2"
                        + " (dedupe action_invariants on (action_name, position)) deleted or updated 15,000 rows. Nothing was changed")
                .contains("every row in place, history says rolled_back")
                .contains("delete 10,000 of 110,000 rows")
                .contains("a5_006_action_invariants_unique: applied")
                .contains("all 3 checks hold")
                .contains("rows before 110,000 = rows after 100,000 + archived 10,000");
        assertThat(result.out()).doesNotContain("NOT:");
    }

    @Test
    void demoWithJsonPrintsOneDocument() throws Exception {
        Fixture.Result result = Fixture.runWithEnv(Map.of(), "demo", "--json", "--quiet", "--rows", "1000", "--dir", tmp.toString());
        assertThat(result.code()).as(result.toString()).isZero();
        JsonNode demo = new ObjectMapper().readTree(result.out());
        assertThat(demo.path("naive").path("after").path("invariants").asLong()).isEqualTo(1000);
        assertThat(demo.path("naive").path("after").path("dangling_checks").asLong()).isEqualTo(50);
        assertThat(demo.path("safe_with_fault").path("after").path("invariants").asLong()).isEqualTo(1100);
        assertThat(demo.path("safe_with_fault").path("history_status").asText()).isEqualTo("rolled_back");
        assertThat(demo.path("final").path("after").path("constraint").asBoolean()).isTrue();
        assertThat(demo.path("final").path("archived").asLong()).isEqualTo(100);
    }

    /** A second demo in the same directory starts afresh: the old database and everything in demo-rules are replaced. */
    @Test
    void demoRunAgainInTheSameDirectoryStartsAfresh() throws Exception {
        Fixture.Result first = Fixture.runWithEnv(Map.of(), "demo", "--rows", "100", "--dir", tmp.toString());
        assertThat(first.code()).as(first.toString()).isZero();
        Files.writeString(tmp.resolve("demo-rules").resolve("left_over.yaml"), "id: left_over\nsteps: []\n");

        Fixture.Result second = Fixture.runWithEnv(Map.of(), "demo", "--rows", "100", "--dir", tmp.toString());

        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.out()).contains("action_invariants 110 rows (10 duplicates)")
                .contains("it stopped with: injected fault at statement 2: DELETE FROM naive.action_arguments")
                .contains("rows before 110 = rows after 100 + archived 10");
        try (var rules = Files.list(tmp.resolve("demo-rules"))) {
            assertThat(rules.map(p -> p.getFileName().toString())).containsExactly(DemoCommand.RULES_FILE);
        }
    }

    /** A --dir under a file used to reach H2 in the child process, and came back as "unexpected IllegalStateException ... a bug". */
    @Test
    void demoDirThatCannotBeCreatedIsRefusedBeforeTheServerStarts() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "kept");
        Path dir = file.resolve("demo");

        Fixture.Result result = Fixture.runWithEnv(Map.of(), "demo", "--dir", dir.toString());

        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).as(result.toString()).isEqualTo("error: --dir " + dir + ": cannot create the directory for the demo database"
                + " (FileSystemException: " + dir + ": Not a directory)\n");
        assertThat(result.out()).isEmpty();
        assertThat(Files.readString(file)).isEqualTo("kept");
    }

    /**
     * An old demo database file the demo cannot remove (here a directory of that name with a file in it) is refused
     * before the server starts, naming it, and left as it was; it came back as "unexpected UncheckedIOException ... a bug".
     */
    @Test
    void anOldDemoDatabaseThatCannotBeRemovedIsRefusedAndLeftAsItWas() throws Exception {
        Path stuck = Files.createDirectories(tmp.resolve("demo.mv.db"));
        Path kept = Files.writeString(stuck.resolve("kept"), "kept");

        Fixture.Result result = Fixture.runWithEnv(Map.of(), "demo", "--dir", tmp.toString());

        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).as(result.toString()).isEqualTo("error: --dir " + tmp.toAbsolutePath().normalize() + ": cannot remove the old demo"
                + " database (DirectoryNotEmptyException: " + stuck.toAbsolutePath().normalize() + "); remove it, or give another --dir\n");
        assertThat(result.out()).isEmpty();
        assertThat(Files.readString(kept)).isEqualTo("kept");
    }

    /** A server that exits at start-up (here: no H2 on its class path) is reported with its own words, not as a bug in safemigrate. */
    @Test
    void demoServerThatExitsAtStartUpIsReportedWithItsReason() {
        assertThatThrownBy(() -> DemoServer.start(tmp, tmp.resolve("no-h2.jar").toString()))
                .isInstanceOfSatisfying(SafeMigrateException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED_RESTORED))
                .hasMessage("the H2 server for the demo exited with code 1 before it listened: Error: Could not find or load main class org.h2.tools.Server");
        assertThat(tmp.toFile().list()).isEmpty();
    }

    /**
     * The demo passes no rows through the JVM: at its full size it runs in a 64 MB heap (H2 itself
     * runs in a child process, as a database server would).
     */
    @Test
    void demoRunsInSixtyFourMegabytes() throws Exception {
        Process process = CrashTest.cli(List.of("-Xmx64m"), null, "demo", "--dir", tmp.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("rows before 110,000 = rows after 100,000 + archived 10,000");
    }
}
