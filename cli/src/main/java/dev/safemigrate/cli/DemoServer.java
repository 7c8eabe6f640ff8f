package dev.safemigrate.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the demo's H2 database in a child process, as a database server would run: the work of
 * the database (H2 computes window functions in its own heap) then does not count against this
 * process, which only sends SQL and reads counts, and so runs with -Xmx64m at any table size.
 */
final class DemoServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private DemoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static DemoServer start(Path baseDir) throws IOException {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.h2.tools.Server",
                "-tcp", "-tcpPort", String.valueOf(port), "-baseDir", baseDir.toString(), "-ifNotExists")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        DemoServer server = new DemoServer(process, port);
        server.awaitListening();
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the H2 server for the demo exited with code " + process.exitValue());
            }
            try (Socket ignored = new Socket()) {
                ignored.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        throw new IOException("the H2 server for the demo did not start within 30 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
