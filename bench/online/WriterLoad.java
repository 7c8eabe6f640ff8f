import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The online benchmark's writer load on the bench tables (bench/sql/<db>/generate.sql), at a fixed rate: THREADS
 * threads, each on its own autocommit connection, each running one statement every 1000 * THREADS / RATE ms on a
 * fixed schedule (a late statement is not skipped, so a blocked writer's queue shows in the latency). Of ten
 * statements: 4 insert a row with a new key, 1 inserts a row duplicating an existing key, 3 update a random row's
 * expression, 2 insert a child row at a random parent (a loser, sometimes). Runs until the file STOP exists and every
 * statement scheduled before then has run (a writer that was blocked catches up first, so its queue is measured), then
 * writes one line per statement to OUT: scheduled, started and ended (epoch ms), the kind, and the outcome (ok,
 * duplicate, foreign_key or the SQLState and message).
 *
 * <p>Run with the CLI jar, which has the drivers: {@code java -cp cli/target/safemigrate.jar bench/online/WriterLoad.java
 * URL USER ROWS THREADS RATE STOP OUT}.
 */
public class WriterLoad {
    private static final String[] KINDS = {"fresh", "fresh", "fresh", "fresh", "duplicate", "update", "update", "update", "child", "child"};

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        long rows = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        double rate = Double.parseDouble(args[4]);
        Path stop = Path.of(args[5]);
        Path out = Path.of(args[6]);
        long intervalMicros = (long) (1_000_000L * threads / rate);
        List<Thread> workers = new ArrayList<>();
        List<List<String>> samples = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<String> mine = new ArrayList<>();
            samples.add(mine);
            int thread = t;
            Thread worker = new Thread(() -> run(url, user, rows, thread, thread * intervalMicros / threads, intervalMicros, stop, mine));
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(out))) {
            writer.println("scheduled_ms\tstarted_ms\tended_ms\tkind\toutcome");
            for (List<String> mine : samples) {
                mine.forEach(writer::println);
            }
        }
    }

    private static void run(String url, String user, long rows, int thread, long offsetMicros, long intervalMicros, Path stop, List<String> samples) {
        long distinct = rows * 9 / 10;
        try (Connection connection = DriverManager.getConnection(url, user, "");
             PreparedStatement fresh = connection.prepareStatement("INSERT INTO action_invariants (id, action_name, position, expression, created_at)"
                     + " VALUES (?, ?, ?, 'writer', CURRENT_TIMESTAMP)");
             PreparedStatement update = connection.prepareStatement("UPDATE action_invariants SET expression = ? WHERE id = ?");
             PreparedStatement child = connection.prepareStatement("INSERT INTO invariant_checks (id, invariant_id, outcome, checked_at)"
                     + " VALUES (?, ?, 'writer', CURRENT_TIMESTAMP)")) {
            connection.setAutoCommit(true);
            // The schedule starts once this thread is connected, staggered among the threads.
            long firstMicros = System.currentTimeMillis() * 1000 + offsetMicros;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long stopAt = Long.MAX_VALUE;
            for (long n = 0; ; n++) {
                long scheduled = (firstMicros + n * intervalMicros) / 1000;
                if (stopAt == Long.MAX_VALUE && Files.exists(stop)) {
                    stopAt = System.currentTimeMillis();
                }
                if (scheduled > stopAt) {
                    break;
                }
                long wait = scheduled - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                String kind = KINDS[(int) (n % KINDS.length)];
                long id = 1_000_000_000L * (thread + 1) + n;
                long started = System.currentTimeMillis();
                String outcome;
                try {
                    switch (kind) {
                        case "fresh", "duplicate" -> {
                            // A new key lies beyond the generated ones (action_<key / 10>, key % 10); a duplicate repeats one of them.
                            long key = kind.equals("fresh") ? distinct * 10 + id : random.nextLong(distinct);
                            fresh.setLong(1, id);
                            fresh.setString(2, "action_" + key / 10);
                            fresh.setInt(3, (int) (key % 10));
                            fresh.executeUpdate();
                        }
                        case "update" -> {
                            update.setString(1, "writer " + n);
                            update.setLong(2, 1 + random.nextLong(rows));
                            update.executeUpdate();
                        }
                        default -> {
                            child.setLong(1, id);
                            child.setLong(2, 1 + random.nextLong(rows));
                            child.executeUpdate();
                        }
                    }
                    outcome = "ok";
                } catch (SQLException e) {
                    outcome = classify(e);
                }
                samples.add(scheduled + "\t" + started + "\t" + System.currentTimeMillis() + "\t" + kind + "\t" + outcome);
            }
        } catch (Exception e) {
            samples.add("0\t0\t0\tthread\tdied: " + e.toString().replace('\t', ' ').replace('\n', ' '));
        }
    }

    /** duplicate (PostgreSQL 23505, MySQL 1062, or the key guard's refusal naming a duplicate), foreign_key, or the state and message. */
    private static String classify(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        String message = String.valueOf(e.getMessage()).replace('\t', ' ').replace('\n', ' ');
        if (state.equals("23505") || e.getErrorCode() == 1062 || message.toLowerCase().contains("duplicate")) {
            return "duplicate";
        }
        if (state.equals("23503") || e.getErrorCode() == 1452) {
            return "foreign_key";
        }
        return state + " " + message.substring(0, Math.min(160, message.length()));
    }
}
