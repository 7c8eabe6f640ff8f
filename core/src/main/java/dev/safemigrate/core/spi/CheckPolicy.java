package dev.safemigrate.core.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What a user check may use on one database, beyond the text rules of {@link CheckSql} that hold
 * everywhere. safemigrate asks it about every check before anything runs (a refusal is exit 2), and
 * follows {@link #definitions} recursively, holding each to the same rules.
 */
public interface CheckPolicy {
    /**
     * What {@code check} uses that could have an effect here: write data, sequences or files, take or
     * release locks, change settings, sleep, or reach another server. One phrase per finding, starting
     * with a verb ("calls setval, a volatile function"); empty when there is none. Reads the catalog
     * through {@code connection} and changes nothing.
     */
    List<String> refusals(CheckSql check, Connection connection) throws SQLException;

    /**
     * SQL the database runs for {@code check} without it being written there, by what it is: the
     * definition of each view the check may read ({@code "view app.v" -> "SELECT ..."}), and the like.
     * Each must be a SELECT; it is read with {@link CheckSql#read} and asked about in turn.
     */
    default Map<String, String> definitions(CheckSql check, Connection connection) throws SQLException {
        return Map.of();
    }

    /**
     * A statement that makes the rest of the current transaction read-only, or null where the database
     * has none. {@code ownTransaction}: the check runs in a transaction of its own (outside a run), and
     * nothing has run in it yet; otherwise it runs inside the run's transaction, just after a savepoint
     * that is rolled back after the check, which must undo the statement too.
     */
    default String readOnlyStatement(boolean ownTransaction) {
        return null;
    }

    /**
     * For a dialect that declares no policy: the standard SQL functions and the grammar's own words
     * only, and no views, since it cannot read what they run.
     */
    CheckPolicy STANDARD = new StandardCheckPolicy();
}
