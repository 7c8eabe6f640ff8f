package dev.safemigrate.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * plan --sql's connection with the JDBC calls no built-in step or strategy makes, but a third-party dialect can (its table
 * locks, migration lock and catalog get the run's connection): each is logged or refused, and none reaches the database.
 */
class DryRunConnectionTest {
    private static final String STOPPED = "-- the dry run stopped here, so what migrate would run from here on is not shown: ";

    private final StatementLog log = new StatementLog();
    private Connection real;
    private Connection dry;

    @BeforeEach
    void open() throws SQLException {
        real = DriverManager.getConnection("jdbc:h2:mem:dry_" + UUID.randomUUID().toString().replace("-", ""));
        try (Statement statement = real.createStatement()) {
            statement.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO t VALUES (1), (2)");
        }
        dry = DryRunConnection.over(real, log);
    }

    @AfterEach
    void close() throws SQLException {
        real.close();
    }

    @Test
    void aBatchStopsTheDryRunAndIsNotSent() throws SQLException {
        dry.setAutoCommit(false);
        Statement statement = dry.createStatement();
        statement.addBatch("DELETE FROM t WHERE id = 1");

        assertThatThrownBy(statement::executeBatch).isInstanceOf(SQLException.class).hasMessage("plan --sql cannot show a batch of statements");
        statement.execute("DELETE FROM t WHERE id = 2");
        dry.commit();

        assertThat(log.paragraphs()).containsExactly("BEGIN;", STOPPED + "plan --sql cannot show a batch of statements");
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void aStoredProcedureCallStopsTheDryRunAndIsNotSent() throws SQLException {
        assertThatThrownBy(() -> dry.prepareCall("CALL purge_t()")).isInstanceOf(SQLException.class)
                .hasMessage("plan --sql cannot show a stored procedure call");

        assertThat(log.paragraphs()).containsExactly(STOPPED + "plan --sql cannot show a stored procedure call");
        assertThat(rows()).isEqualTo(2);
    }

    /** A prepared SELECT is a catalog lookup and runs; any other prepared statement is logged with its placeholders, never run. */
    @Test
    void aPreparedStatementThatIsNotAQueryIsLoggedAndNotSent() throws SQLException {
        PreparedStatement delete = dry.prepareStatement("DELETE FROM t WHERE id = ?");
        delete.setInt(1, 1);

        assertThat(delete.executeLargeUpdate()).isZero();
        assertThat(delete.executeUpdate()).isZero();
        assertThatThrownBy(delete::executeQuery).isInstanceOf(SQLException.class).hasMessage("a dry run does not run DELETE FROM t WHERE id = ?");
        try (PreparedStatement count = dry.prepareStatement("SELECT COUNT(*) FROM t"); ResultSet result = count.executeQuery()) {
            assertThat(result.next()).isTrue();
            assertThat(result.getLong(1)).isEqualTo(2);
        }

        assertThat(log.paragraphs()).containsExactly("-- outside a transaction (autocommit): each statement below takes effect, and commits, on its own",
                "DELETE FROM t WHERE id = ?;", "DELETE FROM t WHERE id = ?;", "DELETE FROM t WHERE id = ?;");
        assertThat(rows()).isEqualTo(2);
    }

    /** A statement hands out the dry connection, so committing through it commits nothing real. */
    @Test
    void aStatementLeadsBackToTheDryConnectionNotTheRealOne() throws SQLException {
        dry.setAutoCommit(false);
        Statement statement = dry.createStatement();
        statement.executeUpdate("DELETE FROM t WHERE id = 1");
        statement.getConnection().commit();

        assertThat(statement.getConnection()).isSameAs(dry);
        assertThat(log.paragraphs()).containsExactly("BEGIN;", "DELETE FROM t WHERE id = 1;", "COMMIT;");
        assertThat(rows()).isEqualTo(2);
    }

    /** Catalog lookups run for real, so the database's own error comes back as it is, not wrapped by the proxy. */
    @Test
    void aFailingCatalogLookupFailsWithTheDatabasesOwnError() {
        assertThatThrownBy(() -> dry.prepareStatement("SELECT nope FROM t")).isInstanceOf(SQLException.class)
                .hasMessageContaining("Column \"NOPE\" not found");
        assertThat(log.paragraphs()).isEmpty();
    }

    /** Savepoints are logged under the dry run's own names and ids; closing the dry connection leaves the run's real one open. */
    @Test
    void savepointsAreLoggedAndClosingKeepsTheRealConnection() throws SQLException {
        dry.setAutoCommit(false);
        Savepoint savepoint = dry.setSavepoint();
        dry.rollback(savepoint);
        dry.releaseSavepoint(savepoint);
        dry.rollback();
        dry.close();

        assertThat(savepoint.getSavepointId()).isEqualTo(1);
        assertThat(log.paragraphs()).containsExactly("BEGIN;", "SAVEPOINT sm_savepoint_1;", "ROLLBACK TO SAVEPOINT sm_savepoint_1;",
                "RELEASE SAVEPOINT sm_savepoint_1;", "ROLLBACK;");
        assertThat(real.isClosed()).isFalse();
        assertThat(real.getAutoCommit()).isTrue();
    }

    private long rows() throws SQLException {
        try (Statement statement = real.createStatement(); ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM t")) {
            result.next();
            return result.getLong(1);
        }
    }
}
