package dev.safemigrate.core.spi;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code mode: online} needs from a database besides a {@link KeyGuard}: indexes and the unique constraint
 * built while writers go on, lock waits bounded per statement (a statement waiting for a lock makes later writers
 * queue behind it, so the wait is what they wait), and the rows of one chunk locked until it commits.
 */
public interface OnlineDdl {
    /**
     * Why {@code table} cannot be changed online on this server ({@code server}: e.g. a server without the statements the
     * online DDL uses, a kind of table it does not take), or empty.
     */
    default Optional<String> refusal(ResolvedTable table, DatabaseInfo server) {
        return Optional.empty();
    }

    /**
     * Statements that set this session up for online work: it gives up a lock wait (table, metadata or row) after
     * about {@code wait}, and reads without locking rows where the database would otherwise lock what it reads.
     */
    List<String> sessionFor(Duration wait);

    /** Statements that give this session back the server's defaults. */
    List<String> defaultSession();

    /** Whether {@code e} is a lock wait that ran out, so the statement may be tried again later. */
    boolean lockWaitEnded(SQLException e);

    /**
     * {@code statement} (one that needs the table briefly, e.g. creating or dropping a trigger), made to give up its
     * lock wait after {@code wait} where {@link #sessionFor} cannot bound it that finely; such a statement that runs
     * out ends as {@link #statementLimitReached}. As it is by default.
     */
    default String waitingAtMost(Duration wait, String statement) {
        return statement;
    }

    /**
     * Statements that make every later statement of this session give up once it has run for {@code limit}, or that
     * lift that limit ({@code null}); none where the database has no such limit (then chunks are not capped).
     */
    default List<String> statementLimit(Duration limit) {
        return List.of();
    }

    /** Whether {@code e} is a statement that {@link #statementLimit} stopped. */
    default boolean statementLimitReached(SQLException e) {
        return false;
    }

    /** Where an online DDL statement's lock wait is watched from a second connection (see {@link LockWaitWatch}); empty where it bounds it itself. */
    default Optional<LockWaitWatch> lockWaitWatch() {
        return Optional.empty();
    }

    /**
     * A plain index {@code name} on {@code columns}, built while writers go on: statements run one by one outside
     * a transaction, each safe to repeat; an {@link DdlStatement#exclusive} one needs the table briefly and waits at
     * most {@code wait}. The undo of the last one drops the index.
     */
    List<DdlStatement> createIndex(ResolvedTable table, String name, List<String> columns, Duration wait);

    /** As {@link #createIndex}, for the unique constraint {@code name}; the undo of each statement removes what it made. */
    List<DdlStatement> addUnique(ResolvedTable table, String name, List<String> columns, boolean nullsEqual, Duration wait);

    /**
     * A query that returns the number of rows of {@code fromWhere} (a FROM clause with its WHERE, reading the
     * table to lock under {@code qualifier}) and locks them for update until the transaction ends.
     */
    String lockRows(String fromWhere, String qualifier);

    /**
     * A parenthesized query of the rows of {@code fromWhere} (as for {@link #lockRows}), all of the table's columns,
     * that locks them for update until the transaction ends, where the database lets another query read from it: then
     * a chunk locks and stages its rows in one statement instead of two. Empty by default.
     */
    default Optional<String> lockingRows(String fromWhere, String qualifier) {
        return Optional.empty();
    }
}
