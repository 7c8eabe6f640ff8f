package dev.safemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.cli.ServerCrashTest.Kind;
import dev.safemigrate.cli.ServerCrashTest.Server;
import dev.safemigrate.core.RunListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code migrate --progress} in online mode prints one line per chunk, and the lines tell the truth: chunks
 * numbered 1, 2, ... in order, rows removed so far growing by at most {@code batch_rows} a chunk, and the last
 * line's count is the number of rows the run archived. A {@link Main} made with a listener (as the kill tests make
 * theirs) hears the same chunks.
 */
class OnlineProgressTest {
    private static final Pattern CHUNK = Pattern.compile(
            "a5_006_action_invariants_unique: chunk (\\d+) of ~(\\d+): ([\\d,]+) of ~([\\d,]+) duplicate rows removed, ([\\d,]+) rows/s, ETA (.+)");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void everyChunkPrintsAProgressLineWhoseCountsAreTrue(Kind kind) throws Exception {
        Path rules = Files.writeString(tmp.resolve("a5_006_action_invariants_unique.yaml"),
                Fixture.RULES.formatted("mode: online\nonline: {batch_rows: 100}").replaceAll("(?s)postconditions:.*", ""));
        try (Server db = Server.create(kind)) {
            db.seed(3_000, 2_000, 500);

            List<Long> heard = new CopyOnWriteArrayList<>();
            RunListener listener = new RunListener() {
                @Override
                public void chunkDone(String id, int chunk, int estimatedChunks, long rowsDone, long rowsTotal, Duration elapsed) {
                    heard.add(rowsDone);
                }
            };
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.commandLine(new Main(Map.of(), listener)).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("migrate", "--url", db.url, "--user", db.user, "--progress", rules.toString());
            Fixture.Result result = new Fixture.Result(code, out.toString(), err.toString());

            assertThat(result.code()).as(result.toString()).isZero();
            List<Matcher> chunks = result.err().lines().map(CHUNK::matcher).filter(Matcher::matches).toList();
            assertThat(chunks).as(result.err()).hasSizeGreaterThanOrEqualTo(10);
            long previous = 0;
            for (int i = 0; i < chunks.size(); i++) {
                Matcher chunk = chunks.get(i);
                long done = number(chunk.group(3));
                assertThat(Integer.parseInt(chunk.group(1))).isEqualTo(i + 1);
                assertThat(Integer.parseInt(chunk.group(2))).as("about n chunks, never fewer than this one").isGreaterThanOrEqualTo(i + 1);
                assertThat(done - previous).as(chunk.group()).isBetween(0L, 100L);
                previous = done;
            }
            assertThat(heard).as("the Main's own listener hears each chunk the lines show")
                    .isEqualTo(chunks.stream().map(c -> number(c.group(3))).toList());
            assertThat(previous).as("the last line counts every removed row").isEqualTo(db.archived()).isEqualTo(1_000);
            assertThat(db.fingerprint().rows()).isEqualTo(2_000);
            assertThat(db.constraintExists()).isTrue();
        }
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
