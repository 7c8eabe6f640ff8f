package dev.safemigrate.dialect.mysql;

import static dev.safemigrate.dialect.mysql.GaleraSql.causal;
import static dev.safemigrate.dialect.mysql.GaleraSql.errorCode;
import static dev.safemigrate.dialect.mysql.GaleraSql.execute;
import static dev.safemigrate.dialect.mysql.GaleraSql.number;
import static dev.safemigrate.dialect.mysql.GaleraSql.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Galera experiment 3 (docs/galera-notes.md): keeping writers on other nodes out during a migration with
 * triggers that read a flag row (DDL replicates in total order, so every node has them), and how writes on
 * another node meet the migration's open transaction.
 */
@GaleraExperiment
class GaleraWriterFenceExperimentTest {
    private static final int ROUNDS = Integer.getInteger("safemigrate.galera.fenceRounds", 100);
    private static final int SIGNAL = 1644;
    private static final int DEADLOCK = 1213;
    private final GaleraCluster cluster = GaleraCluster.get();

    @Test
    void aFenceTriggerRejectsWritesOnEveryNodeExceptTheMigrationsOwnSession() throws SQLException {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_fence"); Connection one = db.connect(1); Connection two = causal(db, 2)) {
            createFencedTable(one, "");
            assertThat(number(two, "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE()")).isEqualTo(3);
            execute(one, "UPDATE fence SET running = 1");
            SQLException refused = refusal(two, "INSERT INTO t VALUES (100, 1, 'from node 2')");
            int update = errorCode(() -> update(two, "UPDATE t SET v = 'changed' WHERE id = 1"));
            int delete = errorCode(() -> update(two, "DELETE FROM t WHERE id = 1"));
            // The migration's session passes; its row events are applied on node 2 without firing node 2's triggers.
            execute(one, "SET @safemigrate_run = 1", "DELETE FROM t WHERE id = 2");
            long afterMigrationDelete = number(two, "SELECT COUNT(*) FROM t");
            execute(one, "UPDATE fence SET running = 0");
            int afterFence = errorCode(() -> update(two, "INSERT INTO t VALUES (101, 1, 'after the fence')"));
            System.out.printf("fence trigger on node 2: INSERT refused with %d/%s '%s'; UPDATE %d, DELETE %d; migration's own DELETE on node 1 applied"
                    + " on node 2 (%d rows left); INSERT after the fence: %d%n", refused.getErrorCode(), refused.getSQLState(), refused.getMessage(),
                    update, delete, afterMigrationDelete, afterFence);
            assertThat(refused.getErrorCode()).isEqualTo(SIGNAL);
            assertThat(refused.getSQLState()).isEqualTo("45000");
            assertThat(update).isEqualTo(SIGNAL);
            assertThat(delete).isEqualTo(SIGNAL);
            assertThat(afterMigrationDelete).isEqualTo(2);
            assertThat(afterFence).isZero();
        }
    }

    /** Node 2's trigger reads node 2's copy of the flag: a write right after the flag's commit on node 1 may not see it. */
    @Test
    void aWriteRightAfterTheFlagIsSetOnAnotherNodeCanSlipThrough() throws SQLException {
        for (String lockClause : new String[] {"", " LOCK IN SHARE MODE"}) {
            try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_fence_race"); Connection one = db.connect(1); Connection two = db.connect(2)) {
                createFencedTable(one, lockClause);
                int slipped = 0;
                int aborted = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    execute(one, "UPDATE fence SET running = 1");
                    int code = errorCode(() -> update(two, "INSERT INTO t VALUES (1000, 1, 'race')"));
                    if (code == 0) {
                        slipped++;
                        execute(two, "SET @safemigrate_run = 1", "DELETE FROM t WHERE id = 1000", "SET @safemigrate_run = NULL");
                    } else if (code == DEADLOCK) {
                        aborted++;
                    } else {
                        assertThat(code).isEqualTo(SIGNAL);
                    }
                    execute(one, "UPDATE fence SET running = 0");
                }
                System.out.printf("fence race with a%s read: of %d inserts on node 2 right after the flag's commit on node 1, %d went through,"
                        + " %d were aborted (1213), the rest refused by the trigger%n", lockClause.isEmpty() ? " plain" : lockClause, ROUNDS, slipped, aborted);
            }
        }
    }

    /**
     * A transaction on node 2 that passed the trigger before the flag was set, and has not committed when node 2
     * applies the flag (a causal read on node 2 waits for that): with a plain read of the flag it commits after
     * the flag; with a locking read, the applier needs the flag row the transaction holds and aborts it.
     */
    @Test
    void aTransactionOpenWhenTheFlagArrivesCommitsUnlessItsReadLockedTheFlag() throws SQLException {
        for (String lockClause : new String[] {"", " LOCK IN SHARE MODE"}) {
            try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_fence_open"); Connection one = db.connect(1);
                    Connection two = db.connect(2); Connection causal = causal(db, 2)) {
                createFencedTable(one, lockClause);
                two.setAutoCommit(false);
                execute(two, "INSERT INTO t VALUES (200, 1, 'opened before the fence')");
                execute(one, "UPDATE fence SET running = 1");
                assertThat(number(causal, "SELECT running FROM fence")).isEqualTo(1);
                int commit = errorCode(() -> {
                    two.commit();
                    return null;
                });
                two.setAutoCommit(true);
                long landed = number(causal, "SELECT COUNT(*) FROM t WHERE id = 200");
                System.out.printf("fence with a%s read of the flag: a transaction open on node 2 when the flag is applied there: COMMIT %d;"
                        + " its row: %d%n", lockClause.isEmpty() ? " plain" : lockClause, commit, landed);
                // A plain read holds no lock: the transaction commits, and its row lands while the fence is up.
                assertThat(commit).isEqualTo(lockClause.isEmpty() ? 0 : DEADLOCK);
                assertThat(landed).isEqualTo(lockClause.isEmpty() ? 1 : 0);
            }
        }
    }

    /** A write on node 2 against the open DELETE of the migration on node 1: whoever is certified first wins. */
    @Test
    void aWriteOnAnotherNodeAndTheMigrationsOpenTransaction() throws SQLException {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_fence_conflict"); Connection one = db.connect(1); Connection two = causal(db, 2)) {
            execute(one, "CREATE TABLE t (id BIGINT PRIMARY KEY, k INT NOT NULL, v VARCHAR(40))",
                    "INSERT INTO t SELECT seq, seq DIV 2, 'seed' FROM seq_1_to_20000");
            // (a) node 2 commits first a change to a row the open migration deletes: the migration loses at COMMIT.
            one.setAutoCommit(false);
            int deleted = update(one, "DELETE FROM t WHERE MOD(id, 2) = 0");
            int writer = errorCode(() -> update(two, "UPDATE t SET v = 'node 2' WHERE id = 10"));
            int migration = errorCode(() -> {
                one.commit();
                return null;
            });
            one.setAutoCommit(true);
            System.out.printf("conflict (a): migration deletes %d rows (open); node 2 updates one of them: %d; migration COMMIT: %d%n", deleted, writer, migration);
            assertThat(writer).isZero();
            assertThat(migration).isEqualTo(DEADLOCK);
            assertThat(number(one, "SELECT COUNT(*) FROM t")).isEqualTo(20_000);
            // (b) the migration commits first: node 2's open transaction on one of its rows is aborted.
            two.setAutoCommit(false);
            update(two, "UPDATE t SET v = 'node 2 open' WHERE id = 20");
            one.setAutoCommit(false);
            update(one, "DELETE FROM t WHERE MOD(id, 2) = 0");
            int migrationFirst = errorCode(() -> {
                one.commit();
                return null;
            });
            one.setAutoCommit(true);
            int openWriter = errorCode(() -> {
                two.commit();
                return null;
            });
            two.setAutoCommit(true);
            System.out.printf("conflict (b): migration COMMIT first: %d; node 2's open transaction on a deleted row, at COMMIT: %d%n", migrationFirst, openWriter);
            assertThat(migrationFirst).isZero();
            assertThat(openWriter).isEqualTo(DEADLOCK);
            // (c) node 2 inserts a new row while the migration's DELETE is open, and node 1 applies it before the
            // migration commits (a causal read on node 1 waits for that; otherwise the outcome is a race). Under
            // REPEATABLE READ the DELETE's scan holds gap locks, node 1's applier needs one for the new row, and the
            // migration is aborted; under READ COMMITTED nothing is shared and both commit: a new duplicate slips in.
            int[] migrationAfterInsert = new int[2];
            for (int level = 0; level < 2; level++) {
                one.setTransactionIsolation(level == 0 ? Connection.TRANSACTION_REPEATABLE_READ : Connection.TRANSACTION_READ_COMMITTED);
                one.setAutoCommit(false);
                update(one, "DELETE FROM t WHERE MOD(id, 2) = 1 AND id > 10000");
                assertThat(update(two, "INSERT INTO t VALUES (" + (30002 + 2 * level) + ", 1, 'new duplicate of k = 1')")).isEqualTo(1);
                try (Connection causal = db.connect(1)) {
                    execute(causal, "SET SESSION wsrep_sync_wait = 1", "SELECT COUNT(*) FROM t");
                }
                migrationAfterInsert[level] = errorCode(() -> {
                    one.commit();
                    return null;
                });
                one.setAutoCommit(true);
            }
            System.out.printf("conflict (c): a new row inserted on node 2 during the migration's open DELETE; migration COMMIT under"
                    + " REPEATABLE READ: %d, under READ COMMITTED: %d; rows with k = 1 afterwards: %d%n",
                    migrationAfterInsert[0], migrationAfterInsert[1], number(two, "SELECT COUNT(*) FROM t WHERE k = 1"));
            assertThat(migrationAfterInsert[0]).isEqualTo(DEADLOCK);
            assertThat(migrationAfterInsert[1]).isZero();
            assertThat(number(two, "SELECT COUNT(*) FROM t WHERE k = 1")).isEqualTo(3);
        }
    }

    /** t (three rows), a flag row, and BEFORE triggers that SIGNAL while the flag is set, except in the session that set @safemigrate_run. */
    private static void createFencedTable(Connection connection, String lockClause) throws SQLException {
        execute(connection, "CREATE TABLE t (id BIGINT PRIMARY KEY, k INT NOT NULL, v VARCHAR(40))",
                "INSERT INTO t VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c')",
                "CREATE TABLE fence (name VARCHAR(64) PRIMARY KEY, running TINYINT NOT NULL)",
                "INSERT INTO fence VALUES ('run', 0)");
        for (String event : new String[] {"INSERT", "UPDATE", "DELETE"}) {
            execute(connection, "CREATE TRIGGER t_fence_" + event.toLowerCase() + " BEFORE " + event + " ON t FOR EACH ROW"
                    + " BEGIN DECLARE r TINYINT; SELECT running INTO r FROM fence WHERE name = 'run'" + lockClause + ";"
                    + " IF r = 1 AND @safemigrate_run IS NULL THEN"
                    + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'safemigrate: table t is being migrated; retry when it finishes'; END IF; END");
        }
    }

    private static SQLException refusal(Connection connection, String sql) {
        try {
            update(connection, sql);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("not refused: " + sql);
    }
}
