package dev.safemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.Servers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On the local servers: a {@code safemigrate migrate} subprocess
 * on 1,000,000 rows (10% duplicates, 500,000 child rows with an FK into the table) is killed with SIGKILL at
 * each phase the engine reports, and once while its {@code ADD CONSTRAINT} runs on the server. Then
 * {@code status} must say what happened, {@code recover} (or the next {@code migrate}) must complete or reverse
 * the run with the data identical to before or correctly migrated, and the next {@code migrate} must apply the
 * migration: 900,000 survivors (the lowest id of each key), children repointed, none dangling, the constraint
 * present, and rows before = rows after + archived rows.
 *
 * <p>PostgreSQL runs the whole migration in one transaction, so only {@code dml_applied} (and the DDL) exist
 * there; MariaDB's compensating strategy has all three phases.
 */
class ServerCrashTest {
    private static final String DURING_DDL = "during_ddl";
    private static final int ROWS = 1_000_000;
    private static final int KEYS = 900_000;
    private static final int CHILDREN = 500_000;
    private static final String CONSTRAINT = "uq_action_invariants_action_position";

    @TempDir
    Path tmp;

    enum Kind { POSTGRES, MARIADB }

    static Stream<Arguments> kills() {
        return Stream.of(
                arguments(Kind.POSTGRES, RunListener.Phase.DML_APPLIED, "migrate"),
                arguments(Kind.POSTGRES, DURING_DDL, "recover"),
                arguments(Kind.MARIADB, RunListener.Phase.PREPARED, "migrate"),
                arguments(Kind.MARIADB, RunListener.Phase.DML_APPLIED, "recover"),
                arguments(Kind.MARIADB, RunListener.Phase.BETWEEN_PHASES, "migrate"),
                arguments(Kind.MARIADB, DURING_DDL, "recover"),
                arguments(Kind.POSTGRES, ONLINE_CHUNK, "recover"),
                arguments(Kind.MARIADB, ONLINE_CHUNK, "migrate"));
    }

    /** Online mode, killed after its first chunk committed: recover finishes it (then migrate has nothing to do), or migrate resumes it. */
    private static final String ONLINE_CHUNK = RunListener.Phase.CHUNK_COMMITTED;

    @ParameterizedTest(name = "{0}: killed at {1}, then {2}")
    @MethodSource("kills")
    void aKilledRunOnAMillionRowsIsCompletedOrReversed(Kind kind, String killPoint, String next) throws Exception {
        try (Server db = Server.create(kind)) {
            String label = kind + " " + killPoint;
            long t0 = System.nanoTime();
            db.seed();
            System.out.printf("[%s] seeded %,d rows + %,d children in %.1f s%n", label, ROWS, CHILDREN, seconds(t0));

            Fingerprint before = db.fingerprint();
            assertThat(before.rows()).isEqualTo(ROWS);
            assertThat(before.distinctKeys()).isEqualTo(KEYS);
            boolean online = killPoint.equals(ONLINE_CHUNK);
            // Online mode refuses postconditions (writers change the data while they would be checked).
            String yaml = online ? Fixture.RULES.formatted("mode: online").replaceAll("(?s)postconditions:.*", "") : Fixture.RULES.formatted("");
            Path rules = Files.writeString(tmp.resolve("a5_006_action_invariants_unique.yaml"), yaml);

            // Kill the subprocess at the phase, or while the server runs its ADD CONSTRAINT.
            long t1 = System.nanoTime();
            String killedAt = db.killMigrate(killPoint, rules);
            System.out.printf("[%s] killed (SIGKILL) %s after %.1f s%n", label, killedAt, seconds(t1));

            Fixture.Result status = db.cli("status");
            assertThat(status.code()).as(status.toString()).isZero();
            System.out.printf("[%s] status after the kill:%n%s%n", label, status.out().strip().indent(4));
            assertThat(status.out()).as(status.toString()).doesNotContain(" applied ");
            if (online) {
                assertThat(status.out()).as(status.toString()).contains("in_progress").contains("phase: online_chunks:")
                        .contains("(online: chunks committed through duplicate key group ");
            } else if (kind == Kind.MARIADB) {
                assertThat(status.out()).as(status.toString()).contains("in_progress");
            } else {
                // One transaction: the history row went with it (or the run is shown as interrupted).
                assertThat(status.out()).as(status.toString()).containsAnyOf("no migration has run", "in_progress");
            }

            long t2 = System.nanoTime();
            if (next.equals("recover")) {
                Fixture.Result recover = db.cli("recover");
                assertThat(recover.code()).as(recover.toString()).isZero();
                System.out.printf("[%s] recover in %.1f s: %s%n", label, seconds(t2), recover.out().strip());
                String state = db.assertOriginalOrMigrated(before);
                System.out.printf("[%s] after recover the data is %s%n", label, state);
                if (online) {
                    assertThat(state).isEqualTo("migrated");
                    assertThat(recover.out()).as(recover.toString()).contains("recover finished the interrupted online run");
                }
                Fixture.Result afterRecover = db.cli("status");
                assertThat(afterRecover.out()).as(afterRecover.toString()).doesNotContain("in_progress");
            } else if (kind == Kind.POSTGRES && !online) {
                // Nothing to recover: the data must already be as before.
                assertThat(db.assertOriginalOrMigrated(before)).isEqualTo("identical to before");
            }

            long t3 = System.nanoTime();
            Fixture.Result migrate = db.cli("migrate", rules.toString());
            assertThat(migrate.code()).as(migrate.toString()).isZero();
            if (online) {
                assertThat(migrate.out()).as(migrate.toString()).contains(next.equals("migrate") ? "(online)" : "already applied");
                assertThat(db.row("SELECT message FROM safemigrate_history").get(0)).as("the history's message")
                        .contains("resumed an interrupted run after key group");
            }
            System.out.printf("[%s] migrate in %.1f s (recovery + migration %.1f s):%n%s%n", label, seconds(t3), seconds(t2),
                    (migrate.out() + migrate.err()).strip().indent(4));

            assertThat(db.assertOriginalOrMigrated(before)).isEqualTo("migrated");
            Fixture.Result applied = db.cli("status");
            assertThat(applied.out()).as(applied.toString()).contains("applied").doesNotContain("in_progress");
            Fixture.Result verify = db.cli("verify", rules.toString());
            assertThat(verify.code()).as(verify.toString()).isZero();
            System.out.printf("[%s] total %.1f s%n", label, seconds(t0));
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Order-independent summary of both tables. */
    record Fingerprint(long rows, long sumIds, long distinctKeys, String hash, long children, long sumChildTargets, String childHash) {
    }

    /** A schema (PostgreSQL) or database (MariaDB) of the test's own on the local server. */
    static final class Server implements AutoCloseable {
        final Kind kind;
        final String adminUrl;
        final String user;
        final String name;
        final String url;

        private Server(Kind kind, String adminUrl, String user, String name, String url) {
            this.kind = kind;
            this.adminUrl = adminUrl;
            this.user = user;
            this.name = name;
            this.url = url;
        }

        static Server create(Kind kind) throws SQLException {
            String name = "sm_crash_" + Long.toHexString(System.nanoTime());
            if (kind == Kind.POSTGRES) {
                Optional<String> base = Servers.reachable("SAFEMIGRATE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                if (base.isEmpty()) {
                    Servers.unavailable("PostgreSQL");
                }
                Server server = new Server(kind, base.get(), "postgres", name,
                        base.get() + (base.get().contains("?") ? "&" : "?") + "currentSchema=" + name);
                server.admin("CREATE SCHEMA \"" + name + "\"");
                return server;
            }
            Optional<String> base = Servers.reachable("SAFEMIGRATE_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/test", "root", "");
            if (base.isEmpty()) {
                Servers.unavailable("MariaDB/MySQL");
            }
            Server server = new Server(kind, base.get(), "root", name, Databases.withDatabase(base.get(), name));
            server.admin("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
            return server;
        }

        void seed() throws SQLException {
            seed(ROWS, KEYS, CHILDREN);
        }

        /** {@code rows} rows over {@code keys} keys (id n has the key of id n - keys), and {@code children} children: child j at id 2j. */
        void seed(int rows, int keys, int children) throws SQLException {
            if (kind == Kind.POSTGRES) {
                execute("CREATE TABLE action_invariants (id BIGINT PRIMARY KEY, action_name VARCHAR(64) NOT NULL, position INT NOT NULL)",
                        "INSERT INTO action_invariants SELECT i, 'action_' || ((i - 1) % " + keys + ") / 100, ((i - 1) % " + keys + ") % 100"
                                + " FROM generate_series(1, " + rows + ") AS i",
                        "CREATE TABLE invariant_checks (id BIGINT PRIMARY KEY,"
                                + " invariant_id BIGINT NOT NULL REFERENCES action_invariants (id))",
                        "INSERT INTO invariant_checks SELECT j, 2 * j FROM generate_series(1, " + children + ") AS j",
                        "CREATE INDEX invariant_checks_invariant_id_ix ON invariant_checks (invariant_id)",
                        "ANALYZE action_invariants",
                        "ANALYZE invariant_checks");
            } else {
                // Six cross-joined digit tables: 1,000,000 numbers without the SEQUENCE engine (MySQL has none).
                execute("CREATE TABLE digits (d INT PRIMARY KEY)",
                        "INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
                        "CREATE TABLE numbers (n INT PRIMARY KEY)",
                        "INSERT INTO numbers SELECT 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d"
                                + " FROM digits a, digits b, digits c, digits e, digits f, digits g",
                        "CREATE TABLE action_invariants (id BIGINT PRIMARY KEY, action_name VARCHAR(64) NOT NULL, position INT NOT NULL) ENGINE=InnoDB",
                        "INSERT INTO action_invariants SELECT n, CONCAT('action_', ((n - 1) % " + keys + ") DIV 100), ((n - 1) % " + keys + ") % 100"
                                + " FROM numbers WHERE n <= " + rows + " ORDER BY n",
                        "CREATE TABLE invariant_checks (id BIGINT PRIMARY KEY, invariant_id BIGINT NOT NULL,"
                                + " CONSTRAINT invariant_checks_invariant_fk FOREIGN KEY (invariant_id) REFERENCES action_invariants (id)) ENGINE=InnoDB",
                        "INSERT INTO invariant_checks SELECT n, 2 * n FROM numbers WHERE n <= " + children + " ORDER BY n",
                        "DROP TABLE numbers",
                        "DROP TABLE digits",
                        "ANALYZE TABLE action_invariants, invariant_checks");
            }
        }

        Fingerprint fingerprint() throws SQLException {
            String rowHash = kind == Kind.POSTGRES
                    ? "SUM(hashtextextended(id || '/' || action_name || '/' || position, 0))"
                    : "SUM(CRC32(CONCAT_WS('/', id, action_name, position)))";
            String childHash = kind == Kind.POSTGRES
                    ? "SUM(hashtextextended(id || '/' || invariant_id, 0))"
                    : "SUM(CRC32(CONCAT_WS('/', id, invariant_id)))";
            List<String> a = row("SELECT COUNT(*), SUM(id), " + rowHash + " FROM action_invariants");
            // MariaDB's DISTINCT subquery over the unindexed key took 27 s at 1,000,000 rows (a temporary table on disk), its
            // COUNT(DISTINCT a, b) 2.8 s; the key columns are NOT NULL, so both count the same keys.
            List<String> keys = row(kind == Kind.POSTGRES ? "SELECT COUNT(*) FROM (SELECT DISTINCT action_name, position FROM action_invariants) k"
                    : "SELECT COUNT(DISTINCT action_name, position) FROM action_invariants");
            List<String> c = row("SELECT COUNT(*), SUM(invariant_id), " + childHash + " FROM invariant_checks");
            return new Fingerprint(Long.parseLong(a.get(0)), Long.parseLong(a.get(1)), Long.parseLong(keys.get(0)), a.get(2),
                    Long.parseLong(c.get(0)), Long.parseLong(c.get(1)), c.get(2));
        }

        boolean constraintExists() throws SQLException {
            String schema = kind == Kind.POSTGRES ? "'" + name + "'" : "DATABASE()";
            return Long.parseLong(row("SELECT COUNT(*) FROM information_schema.table_constraints WHERE table_schema = " + schema
                    + " AND table_name = 'action_invariants' AND constraint_type = 'UNIQUE' AND constraint_name = '" + CONSTRAINT + "'").get(0)) == 1;
        }

        long archived() throws SQLException {
            String schema = kind == Kind.POSTGRES ? "'" + name + "'" : "DATABASE()";
            List<String> tables = column("SELECT table_name FROM information_schema.tables WHERE table_schema = " + schema
                    + " AND table_name LIKE 'sm\\_archive\\_%\\_action\\_invariants'");
            long total = 0;
            for (String table : tables) {
                String quoted = kind == Kind.POSTGRES ? "\"" + table + "\"" : "`" + table + "`";
                total += Long.parseLong(row("SELECT COUNT(*) FROM " + quoted).get(0));
            }
            return total;
        }

        /**
         * Asserts the data is exactly as before (and no constraint) or correctly migrated, with rows before = rows
         * after + archived; says which.
         */
        String assertOriginalOrMigrated(Fingerprint before) throws SQLException {
            Fingerprint now = fingerprint();
            boolean constraint = constraintExists();
            long dangling = Long.parseLong(row("SELECT COUNT(*) FROM invariant_checks c LEFT JOIN action_invariants a"
                    + " ON a.id = c.invariant_id WHERE a.id IS NULL").get(0));
            assertThat(dangling).as("dangling children").isZero();
            if (now.equals(before)) {
                assertThat(constraint).as("constraint on unchanged data").isFalse();
                return "identical to before";
            }
            long archived = archived();
            assertThat(now.rows()).as("survivors (data neither as before nor migrated: %s)", now).isEqualTo(KEYS);
            assertThat(Long.parseLong(row("SELECT MAX(id) FROM action_invariants").get(0))).as("survivors are the lowest id of each key")
                    .isEqualTo(KEYS);
            assertThat(now.sumIds()).isEqualTo((long) KEYS * (KEYS + 1) / 2);
            assertThat(now.distinctKeys()).isEqualTo(KEYS);
            assertThat(now.children()).isEqualTo(CHILDREN);
            // child j pointed at 2j; those above KEYS pointed at a duplicate of id 2j - KEYS
            long expectedTargets = 0;
            for (long j = 1; j <= CHILDREN; j++) {
                expectedTargets += 2 * j > KEYS ? 2 * j - KEYS : 2 * j;
            }
            assertThat(now.sumChildTargets()).as("children repointed").isEqualTo(expectedTargets);
            assertThat(constraint).as("constraint " + CONSTRAINT).isTrue();
            assertThat(before.rows()).as("rows before = rows after + archived").isEqualTo(now.rows() + archived);
            return "migrated";
        }

        /** Starts migrate, kills it with SIGKILL at {@code killPoint}; returns where it was killed. */
        String killMigrate(String killPoint, Path rules) throws Exception {
            boolean duringDdl = killPoint.equals(DURING_DDL);
            Process process = CrashTest.cli(List.of(), duringDdl ? null : killPoint, "migrate", "--url", url, "--user", user, "--progress",
                    rules.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            List<String> stderr = Collections.synchronizedList(new ArrayList<>());
            try {
                // The DDL step's start line: "<id>: step 2/2: <summary> ..." (its end line has rows and time after the dots).
                Predicate<String> mark = duringDdl ? line -> line.contains(": step 2/2: ") && line.endsWith(" ...")
                        : line -> line.startsWith("paused at");
                CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> waitFor(process, mark, stderr));
                String line = seen.get(600, TimeUnit.SECONDS);
                if (!duringDdl) {
                    assertThat(line).isEqualTo("paused at " + killPoint);
                    return killPoint;
                }
                // Wait until the server runs the DDL, then kill.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    if (ddlRunning()) {
                        Thread.sleep(300);
                        return "during the DDL (seen running on the server)";
                    }
                    if (!process.isAlive()) {
                        throw new AssertionError("migrate ended before its DDL was seen running; stderr:\n" + String.join("\n", stderr));
                    }
                    Thread.sleep(20);
                }
                return "during the DDL step (not seen on the server)";
            } finally {
                process.destroyForcibly();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }

        private boolean ddlRunning() throws SQLException {
            // The step's long statement: PostgreSQL builds the unique index, then attaches it (an instant ALTER TABLE).
            String sql = kind == Kind.POSTGRES
                    ? "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query ILIKE '%" + CONSTRAINT + "%'"
                    + " AND (query ILIKE 'CREATE UNIQUE INDEX%' OR query ILIKE 'ALTER TABLE%')"
                    : "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'ALTER TABLE%" + CONSTRAINT + "%'";
            return Long.parseLong(row(sql).get(0)) > 0;
        }

        private static String waitFor(Process process, Predicate<String> mark, List<String> seen) {
            // Not closed here: once the mark is seen a drainer keeps reading it (closing would wait for the
            // drainer's read forever); it ends at end of stream, when the process is killed.
            BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
            try {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    seen.add(line);
                    if (mark.test(line)) {
                        drain(err);
                        return line;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new AssertionError("migrate ended before the kill point; its stderr:\n" + String.join("\n", seen));
        }

        /** Keeps reading stderr so the process never blocks on a full pipe. */
        private static void drain(BufferedReader err) {
            Thread drainer = new Thread(() -> {
                try {
                    while (err.readLine() != null) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            drainer.setDaemon(true);
            drainer.start();
        }

        Fixture.Result cli(String... args) {
            return Fixture.runWithEnv(Map.of("SAFEMIGRATE_URL", url, "SAFEMIGRATE_USER", user), args);
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, "");
        }

        void execute(String... statements) throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
        }

        private void admin(String sql) throws SQLException {
            try (Connection connection = DriverManager.getConnection(adminUrl, user, ""); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        List<String> row(String sql) throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                assertThat(rows.next()).as(sql).isTrue();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    values.add(rows.getString(i));
                }
                return values;
            }
        }

        List<String> column(String sql) throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
                return values;
            }
        }

        @Override
        public void close() throws SQLException {
            admin(kind == Kind.POSTGRES ? "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE" : "DROP DATABASE IF EXISTS `" + name + "`");
        }
    }
}
