package dev.safemigrate.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.spi.MigrationLock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two runs starting together on a database that has no lock table yet both created the lock row, and
 * the second failed with a primary-key violation instead of waiting for the lock.
 */
class H2LockRowFirstUseRaceTest {
    private static final int ROUNDS = 30;
    private static final int RUNS = 4;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Test
    void runsStartingTogetherOnAFreshDatabaseAllGetTheLockInTurn() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String url = "jdbc:h2:mem:lock_race_" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
            CyclicBarrier start = new CyclicBarrier(RUNS);
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger acquired = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                threads.add(new Thread(() -> {
                    try (Connection session = DriverManager.getConnection(url, "sa", "")) {
                        start.await();
                        try (MigrationLock.Held held = new H2LockRow().acquire(session, () -> open(url), Duration.ofSeconds(10))) {
                            assertThat(held).isNotNull();
                            acquired.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(errors).as("round " + round).isEmpty();
            assertThat(acquired).hasValue(RUNS);
            try (Connection last = open(url)) {
                last.createStatement().execute("SHUTDOWN");
            }
        }
    }

    private static Connection open(String url) {
        try {
            return DriverManager.getConnection(url, "sa", "");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
