package dev.safemigrate.core.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A three-node MariaDB Galera cluster shared by every test of a JVM: the nodes listed in
 * {@code SAFEMIGRATE_TEST_GALERA_URLS} (as {@code .ci/run} exports them), else a cluster this JVM starts with
 * {@code .ci/galera} in a temporary directory and stops when it exits, else none: the test is skipped loudly,
 * or fails under {@code CI=true}. Nodes are numbered 1 to 3. Killing and restarting a node needs the
 * cluster's directory ({@code SAFEMIGRATE_TEST_GALERA_DIR}, or the one this JVM made).
 */
public final class GaleraCluster {
    public static final int NODES = 3;
    private static final long SCRIPT_TIMEOUT_SECONDS = 300;
    private static Optional<GaleraCluster> shared;

    private final List<String> urls;
    private final Optional<Path> dir;

    private GaleraCluster(List<String> urls, Optional<Path> dir) {
        this.urls = urls;
        this.dir = dir;
    }

    /** The JVM's cluster, found or started on first use; skips (or fails under CI) the caller without one. */
    public static synchronized GaleraCluster get() {
        if (shared == null) {
            shared = find();
        }
        if (shared.isEmpty()) {
            Servers.unavailable("MariaDB Galera cluster");
        }
        return shared.orElseThrow();
    }

    private static Optional<GaleraCluster> find() {
        Optional<Path> dir = Optional.ofNullable(System.getenv("SAFEMIGRATE_TEST_GALERA_DIR")).filter(s -> !s.isBlank()).map(Path::of);
        Optional<String> listed = Optional.ofNullable(System.getenv("SAFEMIGRATE_TEST_GALERA_URLS")).filter(s -> !s.isBlank());
        if (listed.isPresent()) {
            return checked(new GaleraCluster(Arrays.asList(listed.get().trim().split(",")), dir));
        }
        try {
            return checked(start());
        } catch (IOException | IllegalStateException e) {
            System.err.println("safemigrate tests: cannot start a Galera cluster (" + e.getMessage() + ")");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The cluster, if every node answers and sees the other two. */
    private static Optional<GaleraCluster> checked(GaleraCluster cluster) {
        for (int node = 1; node <= NODES; node++) {
            try {
                long size = cluster.statusNumber(node, "wsrep_cluster_size");
                if (size != NODES) {
                    System.err.println("safemigrate tests: Galera node " + node + " sees a cluster of " + size + ", not " + NODES);
                    return Optional.empty();
                }
            } catch (SQLException e) {
                System.err.println("safemigrate tests: no Galera node at " + cluster.url(node) + " (" + e.getMessage() + ")");
                return Optional.empty();
            }
        }
        return Optional.of(cluster);
    }

    /** Starts a cluster with the repository's script in a directory of this JVM's, stopped and removed at exit. */
    private static GaleraCluster start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("safemigrate-galera", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        GaleraCluster cluster = new GaleraCluster(List.of(), Optional.of(dir));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.script("stop");
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            } catch (IOException | InterruptedException | IllegalStateException e) {
                System.err.println("safemigrate tests: stopping the Galera cluster in " + dir + " failed: " + e.getMessage());
            }
        }, "galera-stop"));
        cluster.script("start");
        String urls = Files.readString(dir.resolve("urls"), StandardCharsets.UTF_8).trim();
        return new GaleraCluster(Arrays.asList(urls.split(",")), Optional.of(dir));
    }

    /** Runs {@code .ci/galera COMMAND DIR ARGS}; its output goes to the test's stderr. */
    private void script(String command, String... args) throws IOException, InterruptedException {
        Path root = Path.of(Optional.ofNullable(System.getenv("SAFEMIGRATE_BUILD_DIR")).orElse("."));
        Path script = root.resolve(".ci/galera");
        Path directory = dir.orElseThrow(() -> new IllegalStateException("the cluster's directory is unknown: set SAFEMIGRATE_TEST_GALERA_DIR"));
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no script at " + script.toAbsolutePath());
        }
        List<String> line = Stream.concat(Stream.of("bash", script.toString(), command, directory.toString()), Arrays.stream(args)).toList();
        Process process = new ProcessBuilder(line).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", line) + " did not finish in " + SCRIPT_TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed with exit " + process.exitValue());
        }
    }

    /** Node {@code node}'s URL, with database {@code test}. */
    public String url(int node) {
        return urls.get(node - 1);
    }

    /** Node {@code node}'s URL with its database replaced by {@code database}. */
    public String url(int node, String database) {
        String url = url(node);
        int path = url.indexOf('/', url.indexOf("//") + 2);
        return url.substring(0, path + 1) + database;
    }

    public Connection connect(int node) throws SQLException {
        return DriverManager.getConnection(url(node), "root", "");
    }

    public Connection connect(int node, String database) throws SQLException {
        return DriverManager.getConnection(url(node, database), "root", "");
    }

    /** A {@code SHOW GLOBAL STATUS} value of node {@code node}, e.g. {@code wsrep_local_state_comment}. */
    public String status(int node, String variable) throws SQLException {
        try (Connection connection = connect(node); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rows.next() ? rows.getString(2) : null;
        }
    }

    public long statusNumber(int node, String variable) throws SQLException {
        return Long.parseLong(status(node, variable));
    }

    /**
     * A fresh database created on node 1 and present on every node when this returns (each node is asked
     * with {@code wsrep_sync_wait}, which waits until the node has applied everything committed before);
     * dropped on close through the first node that answers.
     */
    public Database createDatabase(String name) throws SQLException {
        try (Connection connection = connect(1); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS `" + name + "`");
            statement.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        }
        for (int node = 2; node <= NODES; node++) {
            try (Connection connection = connect(node); Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION wsrep_sync_wait = 1");
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '" + name + "'")) {
                    rows.next();
                    if (rows.getInt(1) != 1) {
                        throw new IllegalStateException("database " + name + " created on node 1 is not on node " + node);
                    }
                }
            }
        }
        return new Database(this, name);
    }

    /** kill -9 of node {@code node}'s server; returns when the process is gone. */
    public void kill(int node) {
        run("node-kill", node);
    }

    /** Starts node {@code node} again; returns when it has rejoined (IST or SST) and is Synced with all three. */
    public void restart(int node) {
        run("node-start", node);
    }

    private void run(String command, int node) {
        try {
            script(command, String.valueOf(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A database of one test, on every node. */
    public record Database(GaleraCluster cluster, String name) implements AutoCloseable {
        public String url(int node) {
            return cluster.url(node, name);
        }

        public Connection connect(int node) throws SQLException {
            return cluster.connect(node, name);
        }

        @Override
        public void close() {
            SQLException last = null;
            for (int node = 1; node <= NODES; node++) {
                try (Connection connection = cluster.connect(node); Statement statement = connection.createStatement()) {
                    statement.execute("DROP DATABASE IF EXISTS `" + name + "`");
                    return;
                } catch (SQLException e) {
                    last = e;
                }
            }
            throw new IllegalStateException("cannot drop database " + name + " on any node", last);
        }
    }
}
