package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.KeyGuard;
import dev.safemigrate.core.spi.ResolvedTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dialect's {@link KeyGuard} on the example table, which holds duplicates: no other session can commit a
 * row or a key change that duplicates a key, not even two sessions inserting the same new key at once; the
 * existing duplicates stay, other writes go on, the run's own session passes with the bypass, and removing the
 * guard leaves nothing behind.
 */
public abstract class KeyGuardKit extends KitSupport {
    private static final String GUARD = "sm_guard_kit";
    private static final List<String> KEY = List.of("action_name", "position");
    private Dialect dialect;
    private KeyGuard guard;
    private ResolvedTable table;

    @BeforeEach
    void installGuard() throws Exception {
        Fixture.seed(dataSource);
        dialect = detectedDialect();
        try (Connection connection = dataSource.getConnection()) {
            Assumptions.assumeTrue(dialect.keyGuard().isPresent(), dialect.name() + " has no key guard");
            guard = dialect.keyGuard().orElseThrow();
            table = dialect.catalog(connection).table(TableName.parse("action_invariants")).orElseThrow();
            List<String> key = KEY.stream().map(c -> table.columnNames().stream().filter(c::equalsIgnoreCase).findFirst().orElseThrow()).toList();
            Fixture.execute(dataSource, guard.install(table, key, false, GUARD).toArray(String[]::new));
            Fixture.execute(dataSource, guard.install(table, key, false, GUARD).toArray(String[]::new));
        }
    }

    private static String insert(int id, String action, int position) {
        return "INSERT INTO action_invariants (id, action_name, position, note) VALUES (" + id + ", '" + action + "', " + position + ", 'new')";
    }

    @Test
    void aRowDuplicatingAKeyIsRefusedAndOtherWritesGoOn() throws Exception {
        long before = Fixture.count(dataSource, "SELECT COUNT(*) FROM action_invariants");

        assertThatThrownBy(() -> Fixture.execute(dataSource, insert(1000, Fixture.actionName(1), Fixture.position(1))))
                .isInstanceOf(SQLException.class).satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("23"))
                .hasMessageContaining("safemigrate");
        assertThatThrownBy(() -> Fixture.execute(dataSource, "UPDATE action_invariants SET action_name = '" + Fixture.actionName(2)
                + "', position = " + Fixture.position(2) + " WHERE id = 1")).isInstanceOf(SQLException.class);
        Fixture.execute(dataSource, insert(1001, "brand_new", 1), "UPDATE action_invariants SET note = 'still writable' WHERE id = 1",
                "UPDATE action_invariants SET position = 99 WHERE id = 1", insert(1002, "brand_new", 2));

        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM action_invariants")).isEqualTo(before + 2);
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM action_invariants WHERE id = 1 AND position = 99 AND note = 'still writable'"))
                .isEqualTo(1);
    }

    @Test
    void twoSessionsInsertingTheSameNewKeyAtOnceCommitOneRow() throws Exception {
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<Boolean>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int id = 2000 + round * 2 + w;
                String action = "race_" + round;
                writers.add(CompletableFuture.supplyAsync(() -> insertAfter(start, insert(id, action, 1))));
            }
            long committed = writers.stream().map(f -> f.orTimeout(30, TimeUnit.SECONDS).join()).filter(ok -> ok).count();
            assertThat(committed).as("round " + round).isEqualTo(1);
            assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM action_invariants WHERE action_name = 'race_" + round + "'")).isEqualTo(1);
        }
    }

    private boolean insertAfter(CyclicBarrier start, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            start.await(10, TimeUnit.SECONDS);
            statement.execute(sql);
            connection.commit();
            return true;
        } catch (SQLException refused) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theRunsOwnSessionPassesWithTheBypassAndRemovingTheGuardLeavesNothing() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : guard.bypass(true)) {
                statement.execute(sql);
            }
            statement.execute(insert(3000, Fixture.actionName(1), Fixture.position(1)));
            for (String sql : guard.bypass(false)) {
                statement.execute(sql);
            }
            assertThatThrownBy(() -> statement.execute(insert(3001, Fixture.actionName(1), Fixture.position(1)))).isInstanceOf(SQLException.class);
        }
        List<String> tablesWithGuard = Fixture.tables(dataSource);
        Fixture.execute(dataSource, guard.remove(table, GUARD).toArray(String[]::new));
        Fixture.execute(dataSource, guard.remove(table, GUARD).toArray(String[]::new));

        Fixture.execute(dataSource, insert(3002, Fixture.actionName(1), Fixture.position(1)));
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM action_invariants WHERE id IN (3000, 3002)")).isEqualTo(2);
        List<String> tablesAfter = Fixture.tables(dataSource);
        assertThat(tablesWithGuard).containsAll(tablesAfter);
        assertThat(tablesAfter).noneMatch(t -> t.startsWith(GUARD));
        try (Connection connection = dataSource.getConnection()) {
            assertThat(dialect.catalog(connection).triggers(table)).isEmpty();
        }
    }
}
