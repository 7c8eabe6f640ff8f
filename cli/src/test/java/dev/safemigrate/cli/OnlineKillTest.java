package dev.safemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.cli.ServerCrashTest.Kind;
import dev.safemigrate.cli.ServerCrashTest.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13, acceptance 2: a {@code safemigrate migrate} subprocess in online mode is killed with SIGKILL at seeded
 * random moments, then {@code migrate} runs again (every second kill: {@code recover}, which has no rules file, then
 * {@code migrate} if recover did not finish the run) and must leave exactly what a run that was never interrupted left:
 * the same survivors, the same children, the same archive contents (fingerprints of the table, its child table and
 * every archive table), the constraint, and no guard or work table. The moments are spread evenly over the time of
 * that uninterrupted run from the moment its history row appears (one drawn in each of {@code kills} equal slices; the
 * JVM's start is left out), so they fall in the index build and guard set-up, the chunks and the constraint build; each
 * kill starts from a freshly seeded table.
 *
 * <p>Default: 3 kills on 100,000 rows per database. The run: {@code -Dsafemigrate.online.kills=10
 * -Dsafemigrate.online.rows=1000000} (seed: {@code -Dsafemigrate.online.seed}, default 13).
 */
class OnlineKillTest {
    private static final int KILLS = Integer.getInteger("safemigrate.online.kills", 3);
    private static final int ROWS = Integer.getInteger("safemigrate.online.rows", 100_000);
    private static final long SEED = Long.getLong("safemigrate.online.seed", 13);

    @TempDir
    Path tmp;

    /** What a finished run leaves: the tables' fingerprints, each archive table's, and what is left of the run's own objects. */
    record State(ServerCrashTest.Fingerprint data, Map<String, List<String>> archives, boolean constraint, long workTables, long triggers,
                 String status) {
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void anOnlineRunKilledAtRandomMomentsIsFinishedByMigrateOrRecoverToWhatAnUninterruptedRunLeaves(Kind kind) throws Exception {
        // Online mode refuses postconditions (writers change the data while they would be checked).
        Path rules = Files.writeString(tmp.resolve("a5_006_action_invariants_unique.yaml"),
                Fixture.RULES.formatted("mode: online").replaceAll("(?s)postconditions:.*", ""));
        State expected;
        long uninterrupted;
        try (Server db = seeded(kind)) {
            Process run = migrate(db, rules);
            long start = started(db, run);
            assertThat(run.waitFor(30, TimeUnit.MINUTES)).isTrue();
            assertThat(run.exitValue()).isZero();
            uninterrupted = System.nanoTime() - start;
            expected = state(db);
        }
        assertThat(expected.data().rows()).isEqualTo(keys());
        assertThat(expected.data().rows() + expected.archives().values().stream().filter(a -> a.get(0).equals("action_invariants"))
                .mapToLong(a -> Long.parseLong(a.get(1))).sum()).as("rows before = rows after + archived").isEqualTo(ROWS);
        System.out.printf("[%s online kills] %,d rows: the uninterrupted run took %.1f s from its history row to its end%n", kind, ROWS, uninterrupted / 1e9);

        Random random = new Random(SEED + kind.ordinal());
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            long at = (long) (uninterrupted * (i + random.nextDouble()) / KILLS);
            try (Server db = seeded(kind)) {
                Process run = migrate(db, rules);
                started(db, run);
                boolean finished = run.waitFor(at, TimeUnit.NANOSECONDS);
                run.destroyForcibly();
                assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
                List<String> history = historyExists(db) ? db.column("SELECT CONCAT(status, ' ', COALESCE(phase, '-')) FROM safemigrate_history")
                        : List.of();
                String killedIn = finished ? "finished before the kill" : history.isEmpty() ? "no history yet" : history.get(0);
                String left = finished ? "" : " (left: " + leftObjects(db) + ")";

                boolean chunksCommitted = killedIn.startsWith("in_progress online_");
                if (chunksCommitted) {
                    assertThat(db.cli("status").out()).contains("the next migrate of the same rules file, or recover, finishes it");
                }
                long start = System.nanoTime();
                // Every second kill is followed by recover (no rules file), which finishes a run whose chunks had begun committing;
                // a run it reversed (killed before its first chunk) is then run again by migrate.
                boolean byRecover = i % 2 == 1;
                Fixture.Result recover = byRecover ? db.cli("recover", "--lock-timeout", "600") : null;
                boolean recovered = byRecover && historyExists(db) && db.column("SELECT status FROM safemigrate_history").contains("applied");
                // A statement the killed process left running on the server holds the migration lock until it ends.
                Fixture.Result migrate = recovered ? null : db.cli("migrate", "--lock-timeout", "600", rules.toString());
                double took = (System.nanoTime() - start) / 1e9;
                for (Fixture.Result result : java.util.Arrays.asList(recover, migrate)) {
                    assertThat(result == null ? 0 : result.code()).as(String.valueOf(result)).isZero();
                }
                String output = (recover == null ? "" : recover.out() + recover.err()) + (migrate == null ? "" : migrate.out() + migrate.err());
                String message = db.column("SELECT message FROM safemigrate_history").get(0);
                State state = state(db);
                boolean equal = state.equals(expected);
                System.out.printf("[%s online kills] kill %d at %.1f s (%.0f%% of the uninterrupted run) after the history row appeared, history: %s%s; %s then took %.1f s"
                                + " and %s; equal to the uninterrupted run: %s%n", kind, i + 1, at / 1e9, 100.0 * at / uninterrupted, killedIn, left,
                        byRecover ? (recovered ? "recover" : "recover, then migrate,") : "migrate", took,
                        output.contains("recover finished") ? "finished it" : message.contains("resumed") ? "resumed it"
                                : output.contains("reversed") ? "reversed it and ran it again" : "ran it",
                        equal ? "yes" : "NO: " + state);
                if (chunksCommitted) {
                    assertThat(message).as("a run killed after a chunk committed is resumed").contains("resumed an interrupted run");
                    if (byRecover) {
                        assertThat(output).as("recover finishes a run killed after a chunk committed").contains("recover finished the interrupted online run");
                    }
                }
                if (!equal) {
                    differing.add("kill " + (i + 1) + " (" + killedIn + "): " + state);
                }
            }
        }
        assertThat(differing).as("runs that differ from the uninterrupted one (%s)", expected).isEmpty();
    }

    private static int keys() {
        return ROWS / 10 * 9;
    }

    private static Server seeded(Kind kind) throws Exception {
        Server db = Server.create(kind);
        db.seed(ROWS, keys(), ROWS / 2);
        return db;
    }

    private static Process migrate(Server db, Path rules) throws Exception {
        return CrashTest.cli(List.of(), null, "migrate", "--url", db.url, "--user", db.user, rules.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The indexes on the table (PostgreSQL: INVALID ones marked), the guard's triggers and the work tables, for the report. */
    private static String leftObjects(Server db) throws Exception {
        String schema = db.kind == Kind.POSTGRES ? "'" + db.name + "'" : "DATABASE()";
        List<String> indexes = db.kind == Kind.POSTGRES
                ? db.column("SELECT c.relname || CASE WHEN i.indisvalid THEN '' ELSE ' (INVALID)' END FROM pg_index i JOIN pg_class c"
                        + " ON c.oid = i.indexrelid WHERE i.indrelid = 'action_invariants'::regclass AND NOT i.indisprimary ORDER BY 1")
                : db.column("SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE()"
                        + " AND table_name = 'action_invariants' AND index_name <> 'PRIMARY' ORDER BY 1");
        List<String> triggers = db.column("SELECT DISTINCT trigger_name FROM information_schema.triggers WHERE event_object_schema = " + schema
                + " ORDER BY 1");
        List<String> work = db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = " + schema
                + " AND table_name LIKE 'sm\\_online\\_%' ORDER BY 1");
        return "indexes " + indexes + ", triggers " + triggers + ", work tables " + work;
    }

    /** When the run's history row appeared (polled), or now if the process ended first. */
    private static long started(Server db, Process run) throws Exception {
        while (run.isAlive()) {
            if (historyExists(db) && !db.column("SELECT status FROM safemigrate_history").isEmpty()) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        return System.nanoTime();
    }

    private static boolean historyExists(Server db) throws Exception {
        String schema = db.kind == Kind.POSTGRES ? "'" + db.name + "'" : "DATABASE()";
        return !db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = " + schema
                + " AND table_name = 'safemigrate_history'").isEmpty();
    }

    private static State state(Server db) throws Exception {
        String schema = db.kind == Kind.POSTGRES ? "'" + db.name + "'" : "DATABASE()";
        Map<String, List<String>> archives = new TreeMap<>();
        for (String table : db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = " + schema
                + " AND table_name LIKE 'sm\\_archive\\_%'")) {
            List<String> columns = db.column("SELECT column_name FROM information_schema.columns WHERE table_schema = " + schema
                    + " AND table_name = '" + table + "' ORDER BY ordinal_position");
            String quote = db.kind == Kind.POSTGRES ? "\"" : "`";
            String row = "CONCAT_WS('/', " + String.join(", ", columns.stream().map(c -> quote + c + quote).toList()) + ")";
            String hash = db.kind == Kind.POSTGRES ? "SUM(hashtextextended(" + row + ", 0))" : "SUM(CRC32(" + row + "))";
            List<String> figures = db.row("SELECT COUNT(*), " + hash + " FROM " + quote + table + quote);
            String source = table.endsWith("_action_invariants") ? "action_invariants" : table.replaceAll("^sm_archive_[0-9a-z]+_", "");
            archives.put(table, List.of(source, figures.get(0), String.valueOf(figures.get(1))));
        }
        long workTables = Long.parseLong(db.row("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = " + schema
                + " AND table_name LIKE 'sm\\_online\\_%'").get(0));
        long triggers = Long.parseLong(db.row("SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_schema = " + schema).get(0));
        return new State(db.fingerprint(), archives, db.constraintExists(), workTables, triggers,
                String.join(",", db.column("SELECT status FROM safemigrate_history")));
    }
}
