package dev.safemigrate.cli;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the demo's H2 database in a child process, as a database server would run: the work of
 * the database (H2 computes window functions in its own heap) then does not count against this
 * process, which only sends SQL and reads counts, and so runs with -Xmx64m at any table size.
 */
final class DemoServer implements AutoCloseable {
    /** What {@code org.h2.tools.Server} prints once it listens: "TCP server running at tcp://localhost:40123 (only local connections)". */
    private static final Pattern LISTENING = Pattern.compile("TCP server running at tcp://[^:]+:(\\d+)");

    private final Process process;
    private final int port;

    private DemoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static DemoServer start(Path baseDir) throws IOException {
        return start(baseDir, System.getProperty("java.class.path"));
    }

    /**
     * Starts the server with port 0, so it binds a free port itself and prints it: no other process can take the port
     * between its choice and its use. A server that exits before it listens (say, {@code classPath} lacks H2) is reported
     * with the first line it printed.
     */
    static DemoServer start(Path baseDir, String classPath) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", classPath, "org.h2.tools.Server",
                "-tcp", "-tcpPort", "0", "-baseDir", baseDir.toString(), "-ifNotExists")
                .redirectErrorStream(true).start();
        // Closed once the port is read: the server prints nothing more, and the JVM ignores a closed pipe.
        try (BufferedReader output = process.inputReader()) {
            List<String> said = new ArrayList<>();
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    return new DemoServer(process, Integer.parseInt(listening.group(1)));
                }
                said.add(line);
            }
            // Not a bug in safemigrate, and nothing was run: exit 1, with the server's own reason.
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "the H2 server for the demo exited with code "
                    + process.onExit().join().exitValue() + " before it listened: " + said.stream().findFirst().orElse("it printed nothing"));
        }
    }

    /** The URL of database {@code name} under the server's base directory. */
    String url(String name) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + name;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
