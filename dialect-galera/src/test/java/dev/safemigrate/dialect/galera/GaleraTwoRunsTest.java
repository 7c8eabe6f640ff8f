package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import dev.safemigrate.core.kit.MigrationLockKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, acceptance 2: two {@code migrate} runs of the same migration through two nodes at once. Exactly one
 * applies it; the other waits for the lease and finds it applied, or gives up with exit 6 after its lock timeout,
 * naming the lease's holder.
 * (Before the Galera dialect, the second node's run went ahead and one run hung for over 9 minutes.)
 */
class GaleraTwoRunsTest {
    private static final int ROWS = 20_000;
    private final GaleraCluster cluster = GaleraCluster.get();

    private static SafeMigrate through(DataSource dataSource, Duration lockTimeout, RunListener listener) {
        return SafeMigrate.builder().dataSource(dataSource).lockTimeout(lockTimeout).listener(listener).build();
    }

    @Test
    void aRunOnAnotherNodeGivesUpWithExit6WhileTheLeaseIsHeld() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_lease_held")) {
            DataSource one = Items.seeded(db, ROWS);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            String before = Items.fingerprint(one);
            HoldAt holdAtPrepared = new HoldAt(RunListener.Phase.PREPARED);
            CompletableFuture<MigrationReport> first = CompletableFuture.supplyAsync(
                    () -> through(one, Duration.ofSeconds(30), holdAtPrepared).migrate(List.of(Items.migration("lease_001"))));
            assertThat(holdAtPrepared.awaitReached()).isTrue();

            long start = System.nanoTime();
            SafeMigrateException refused = catchThrowableOfType(SafeMigrateException.class,
                    () -> through(two, Duration.ofSeconds(3), new RunListener() { }).migrate(List.of(Items.migration("lease_001"))));
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(refused.exitCode()).isEqualTo(ExitCode.LOCKED);
            assertThat(refused.getMessage()).contains("another safemigrate run holds the migration lock").contains("3 s")
                    .as("names the holder: its process, its lease's connection and node, since when")
                    .containsPattern("held by run [0-9a-f]{8}, process " + ProcessHandle.current().pid() + " on [^,]+, connection \\d+ on node [^,]+:\\d+, since ")
                    .containsPattern("since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
            assertThat(Items.fingerprint(two)).as("the refused run changed nothing").isEqualTo(before);

            holdAtPrepared.release();
            MigrationReport report = first.get(120, TimeUnit.SECONDS);
            assertThat(report.migrations()).singleElement().satisfies(r -> assertThat(r.strategy()).isEqualTo(GaleraFencedStrategy.NAME));
            assertThat(Items.duplicatedKeys(two)).isZero();
            assertThat(Fixture.count(two, "SELECT COUNT(*) FROM items")).isEqualTo(Items.keys(ROWS));
            System.out.printf("lease held on node 1: the run on node 2 gave up with exit 6 after %d ms (--lock-timeout 3 s); node 1's run applied;"
                    + " the message: %s%n", waitedMs, refused.getMessage());
        }
    }

    @Test
    void runsStartedTogetherOnTwoNodesApplyTheMigrationOnce() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_two_runs_" + round)) {
                DataSource one = Items.seeded(db, ROWS);
                DataSource two = GaleraDatabases.dataSource(db, 2);
                CyclicBarrier barrier = new CyclicBarrier(2);
                CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> outcome(one, barrier));
                CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> outcome(two, barrier));
                List<String> both = List.of(a.get(180, TimeUnit.SECONDS), b.get(180, TimeUnit.SECONDS));
                assertThat(both).as("round %d", round).containsExactlyInAnyOrder("applied", "already_applied");
                assertThat(Items.duplicatedKeys(two)).isZero();
                assertThat(Fixture.count(two, "SELECT COUNT(*) FROM items")).isEqualTo(Items.keys(ROWS));
                assertThat(Fixture.count(two, "SELECT COUNT(*) FROM safemigrate_history WHERE id = 'two_runs_001' AND status = 'applied'"))
                        .isEqualTo(1);
                outcomes.add("node 1 " + both.get(0) + ", node 2 " + both.get(1));
            }
        }
        System.out.println("two runs started together on nodes 1 and 2, 3 rounds: " + outcomes);
    }

    /**
     * A holder whose lease was taken over (here by hand, as a waiter does once the holder's heartbeat stood still for
     * the lease) ends its own run at its next heartbeat rather than go on beside the new holder; recover then
     * finds the run unfinished and reverses it.
     */
    @Test
    void aHolderWhoseLeaseWasTakenOverAbortsItsRun() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_lease_lost")) {
            DataSource one = Items.seeded(db, ROWS);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            String before = Items.fingerprint(one);
            HoldAt holdAtPrepared = new HoldAt(RunListener.Phase.PREPARED);
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
                try {
                    through(one, Duration.ofSeconds(30), holdAtPrepared).migrate(List.of(Items.migration("lost_001")));
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(holdAtPrepared.awaitReached()).isTrue();
            Fixture.execute(two, "UPDATE safemigrate_lease SET owner = 'another run', beat = beat + 1");
            Thread.sleep(GaleraLease.BEAT.toMillis() * 2);
            holdAtPrepared.release();
            assertThat(run.get(120, TimeUnit.SECONDS)).as("the run whose lease was taken over fails").isNotNull();
            Fixture.execute(two, "UPDATE safemigrate_lease SET owner = NULL");
            assertThat(SafeMigrate.builder().dataSource(two).lockTimeout(Duration.ofSeconds(30)).build().recover())
                    .singleElement().asString().contains("lost_001").contains("fence removed");
            assertThat(Items.fingerprint(two)).isEqualTo(before);
            assertThat(Fixture.count(two, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")).isZero();
        }
    }

    /**
     * The lease's own connection killed (by a DBA, or dropped by the network) while its run went on: the heartbeat failed
     * at every beat from then on, so the lease stood still and after the takeover time another run could take it and run
     * beside this one, and the finished run left it held (the next run waited out the takeover time). The heartbeat now
     * renews through a new connection, and the lease is freed when the run ends.
     */
    @Test
    void aHolderWhoseLeaseConnectionWasKilledRenewsTheLeaseThroughANewOneAndFreesItAtTheEnd() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_lease_connection_killed")) {
            DataSource one = Items.seeded(db, ROWS);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            HoldAt holdAtPrepared = new HoldAt(RunListener.Phase.PREPARED);
            CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(
                    () -> through(one, Duration.ofSeconds(30), holdAtPrepared).migrate(List.of(Items.migration("killed_001"))));
            assertThat(holdAtPrepared.awaitReached()).isTrue();
            String owner = Fixture.query(two, "SELECT owner FROM safemigrate_lease").get(0).get("owner").toString();
            Fixture.execute(one, "KILL CONNECTION " + owner.replaceAll(".*, connection (\\d+) on node .*", "$1"));
            long beatAtKill = Fixture.count(two, "SELECT beat FROM safemigrate_lease");

            Thread.sleep(GaleraLease.BEAT.toMillis() * 3);

            assertThat(Fixture.count(two, "SELECT beat FROM safemigrate_lease")).as("the heartbeat goes on through a new connection")
                    .isGreaterThan(beatAtKill);
            holdAtPrepared.release();
            assertThat(run.get(120, TimeUnit.SECONDS).migrations().get(0).outcome()).isEqualTo("applied");
            assertThat(Fixture.query(two, "SELECT owner FROM safemigrate_lease")).singleElement()
                    .satisfies(r -> assertThat(r.get("owner")).as("the lease is free").isNull());
            assertThat(Items.duplicatedKeys(two)).isZero();
            assertThat(Fixture.count(two, "SELECT COUNT(*) FROM items")).isEqualTo(Items.keys(ROWS));
            long start = System.nanoTime();
            assertThat(through(two, Duration.ofSeconds(3), new RunListener() { }).migrate(List.of(Items.migration("killed_001")))
                    .migrations().get(0).outcome()).as("the next run takes the lease at once").isEqualTo("already_applied");
            System.out.printf("the lease's connection killed mid-run: renewed through a new connection, run applied; the next run took the"
                    + " lease in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * A run whose thread is interrupted (an application shutting down) while it waits for the lease another node's run
     * holds ends at once saying so, having changed nothing; the holder's run is not disturbed.
     */
    @Test
    void aRunInterruptedWhileWaitingForTheLeaseSaysSoAndChangesNothing() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_lease_interrupted")) {
            DataSource one = Items.seeded(db, ROWS);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            String before = Items.fingerprint(one);
            HoldAt holdAtPrepared = new HoldAt(RunListener.Phase.PREPARED);
            CompletableFuture<MigrationReport> first = CompletableFuture.supplyAsync(
                    () -> through(one, Duration.ofSeconds(30), holdAtPrepared).migrate(List.of(Items.migration("interrupted_001"))));
            assertThat(holdAtPrepared.awaitReached()).isTrue();
            MigrationLockKit.interruptedWhileWaiting(
                    () -> through(two, Duration.ofSeconds(60), new RunListener() { }).migrate(List.of(Items.migration("interrupted_001"))));
            assertThat(Items.fingerprint(two)).isEqualTo(before);
            holdAtPrepared.release();
            assertThat(first.get(120, TimeUnit.SECONDS).migrations().get(0).outcome()).isEqualTo("applied");
            assertThat(Items.duplicatedKeys(two)).isZero();
        }
    }

    private static String outcome(DataSource dataSource, CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return through(dataSource, Duration.ofSeconds(120), new RunListener() { }).migrate(List.of(Items.migration("two_runs_001")))
                .migrations().get(0).outcome();
    }
}
