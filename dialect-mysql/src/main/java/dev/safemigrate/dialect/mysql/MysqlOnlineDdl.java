package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.DdlStatement;
import dev.safemigrate.core.spi.LockWaitWatch;
import dev.safemigrate.core.spi.OnlineDdl;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.SqlSyntax;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Online DDL on MariaDB: {@code ALTER TABLE ... WAIT n ... ALGORITHM=INPLACE, LOCK=NONE} (writers go on while the
 * index is built; the metadata lock it needs at its start and end is waited for at most {@code n} whole seconds,
 * and a watchdog on a second connection cancels a wait that reached {@code max_lock_ms}; so the statement is not
 * exclusive, and it is tried again when that wait runs out). Other DDL (the guard's triggers) and row locks also
 * take only whole seconds ({@code lock_wait_timeout}, {@code innodb_lock_wait_timeout}): the session rounds down (a
 * row lock below a second is not waited for), and a brief DDL statement waits a whole second stopped at the fraction
 * by {@code max_statement_time}. The session reads in READ COMMITTED, where InnoDB's {@code INSERT ... SELECT} and
 * {@code CREATE TABLE ... SELECT} do not lock the rows they read (with the binary log off or row-based).
 * Error 1205 is a lock wait that ran out, 1213 a deadlock that chose this statement: both are tried again.
 */
final class MysqlOnlineDdl implements OnlineDdl {
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int DEADLOCK = 1213;
    /** MariaDB's error when a statement runs past {@code max_statement_time}. */
    static final int STATEMENT_TIMEOUT = 1969;

    private final SqlSyntax syntax;

    MysqlOnlineDdl(SqlSyntax syntax) {
        this.syntax = syntax;
    }

    /** The statements above are MariaDB's: {@code WAIT n} (10.3), {@code SET STATEMENT}, {@code max_statement_time}, {@code KILL QUERY ID}. */
    @Override
    public Optional<String> refusal(ResolvedTable table, DatabaseInfo server) {
        ServerVersion version = ServerVersion.of(server);
        return version.mariaDb() && version.atLeast(10, 3) ? Optional.empty()
                : Optional.of("online mode on this dialect needs MariaDB 10.3 or later (it bounds every lock wait with MariaDB's WAIT n,"
                + " SET STATEMENT ... FOR, max_statement_time and KILL QUERY ID), and this server is " + server);
    }

    @Override
    public List<String> sessionFor(Duration wait) {
        long seconds = wait.toSeconds();
        return List.of("SET SESSION lock_wait_timeout = " + seconds + ", innodb_lock_wait_timeout = " + seconds,
                "SET SESSION tx_isolation = 'READ-COMMITTED'");
    }

    @Override
    public List<String> defaultSession() {
        return List.of("SET SESSION lock_wait_timeout = DEFAULT, innodb_lock_wait_timeout = DEFAULT, tx_isolation = DEFAULT");
    }

    @Override
    public boolean lockWaitEnded(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT || e.getErrorCode() == DEADLOCK;
    }

    /**
     * Without a wait, a trigger's DDL on a table under steady writes almost never finds its metadata lock free at the
     * instant it asks (CI: 29 tries in 30 s all failed beside 4 writers); waiting stops new writers too, so the wait is
     * cut at {@code wait} (measured: a CREATE TRIGGER behind an open transaction ends with 1969 after 0.23 s of 0.2).
     */
    @Override
    public String waitingAtMost(Duration wait, String statement) {
        return boundedWait(wait, statement);
    }

    /** {@code statement} waiting for its locks at most {@code wait}, below MariaDB's whole seconds too (also the offline table locks'). */
    static String boundedWait(Duration wait, String statement) {
        return "SET STATEMENT lock_wait_timeout = " + Math.max(1, (wait.toMillis() + 999) / 1000) + ", max_statement_time = " + seconds(wait)
                + " FOR " + statement;
    }

    /** MariaDB's {@code max_statement_time}, in seconds with fractions (error 1969 when a statement runs past it). */
    @Override
    public List<String> statementLimit(Duration limit) {
        return List.of("SET SESSION max_statement_time = " + (limit == null ? "DEFAULT" : seconds(limit)));
    }

    @Override
    public boolean statementLimitReached(SQLException e) {
        return e.getErrorCode() == STATEMENT_TIMEOUT;
    }

    private static String seconds(Duration wait) {
        return BigDecimal.valueOf(Math.max(1, wait.toMillis()), 3).toPlainString();
    }

    private String alter(ResolvedTable table, String wait, String change) {
        return "ALTER TABLE " + syntax.table(table) + wait + " " + change + ", ALGORITHM=INPLACE, LOCK=NONE";
    }

    /**
     * The build waits whole seconds ({@code WAIT} below 1 is {@code NOWAIT}: its brief exclusive lock at the end, missed
     * whenever a writer's statement was running then, threw the whole build away) and the watchdog ({@link #lockWaitWatch})
     * cancels a wait at {@code wait}. Dropping the index has no {@code WAIT}: its waits are the session's and
     * {@link #waitingAtMost}'s (a {@code WAIT 0} would override them, and beside steady writers it hardly ever got the lock).
     */
    private List<DdlStatement> add(ResolvedTable table, String name, Duration wait, String index) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return List.of(new DdlStatement(alter(table, " WAIT " + seconds, index), alter(table, "", "DROP INDEX IF EXISTS " + syntax.quote(name)), false));
    }

    @Override
    public Optional<LockWaitWatch> lockWaitWatch() {
        return Optional.of(WATCH);
    }

    /** The processlist names a statement waiting for a metadata lock by its state; {@code KILL QUERY ID} cancels only that statement. */
    private static final LockWaitWatch WATCH = new LockWaitWatch() {
        @Override
        public String sessionId() {
            return "SELECT CONNECTION_ID()";
        }

        @Override
        public String waitingStatement(long session) {
            return "SELECT COALESCE(MAX(QUERY_ID), 0) FROM information_schema.PROCESSLIST WHERE ID = " + session
                    + " AND STATE = 'Waiting for table metadata lock'";
        }

        @Override
        public String cancel(long statement) {
            return "KILL QUERY ID " + statement;
        }
    };

    @Override
    public List<DdlStatement> createIndex(ResolvedTable table, String name, List<String> columns, Duration wait) {
        return add(table, name, wait, "ADD INDEX IF NOT EXISTS " + syntax.quote(name) + " (" + syntax.columnList(columns) + ")");
    }

    /** The key's length and NULL semantics were checked while planning ({@code ConstraintSql.addUnique}). */
    @Override
    public List<DdlStatement> addUnique(ResolvedTable table, String name, List<String> columns, boolean nullsEqual, Duration wait) {
        return add(table, name, wait, "ADD CONSTRAINT " + syntax.quote(name) + " UNIQUE (" + syntax.columnList(columns) + ")");
    }

    @Override
    public String lockRows(String fromWhere, String qualifier) {
        return "SELECT COUNT(*) FROM " + fromWhere + " FOR UPDATE";
    }
}
