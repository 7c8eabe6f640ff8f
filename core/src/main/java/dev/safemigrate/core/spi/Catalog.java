package dev.safemigrate.core.spi;

import dev.safemigrate.core.model.TableName;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Read-only questions about the schema, answered from the catalog (never by provoking errors). */
public interface Catalog {
    /** The table with this name, matched exactly or else case-insensitively when that is unambiguous. */
    Optional<ResolvedTable> table(TableName name) throws SQLException;

    /** Every foreign key whose parent is {@code table}. */
    List<ForeignKey> foreignKeysInto(ResolvedTable table) throws SQLException;

    /** Every foreign key whose child is {@code table}: what its rows point at. */
    List<ForeignKey> foreignKeysFrom(ResolvedTable table) throws SQLException;

    /**
     * Everything that runs the user's code when rows of {@code table} change (triggers; rules on
     * PostgreSQL), excluding what the database makes for its own constraints.
     */
    List<Trigger> triggers(ResolvedTable table) throws SQLException;

    /** Unique constraints and unique indexes (including the primary key) on {@code table}. */
    List<UniqueKey> uniqueKeys(ResolvedTable table) throws SQLException;

    /**
     * A constraint or index called {@code name} in the namespace where one added to {@code table} would
     * live (the schema on PostgreSQL and H2, the table on MySQL), if any.
     */
    Optional<UniqueKey> objectNamed(ResolvedTable table, String name) throws SQLException;

    /**
     * Why rows of {@code table} cannot be grouped by {@code columns} (a type without an equality the
     * database can sort or hash by, such as PostgreSQL's {@code json}), or empty when they can.
     */
    default Optional<String> whyNotComparable(ResolvedTable table, List<String> columns) throws SQLException {
        return Optional.empty();
    }

    /**
     * Why the database cannot enforce a unique key on {@code columns} of {@code table} (an incomparable
     * type, a partitioned table whose partition key the columns do not include), or empty when it can.
     */
    default Optional<String> whyNotUnique(ResolvedTable table, List<String> columns) throws SQLException {
        return whyNotComparable(table, columns);
    }

    /** Whether a table with exactly this name exists in the default schema. */
    boolean tableExists(String exactName) throws SQLException;
}
