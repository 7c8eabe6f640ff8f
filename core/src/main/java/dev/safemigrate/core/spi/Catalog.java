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

    /** Unique constraints and unique indexes (including the primary key) on {@code table}. */
    List<UniqueKey> uniqueKeys(ResolvedTable table) throws SQLException;

    /**
     * A constraint or index called {@code name} in the namespace where one added to {@code table} would
     * live (the schema on PostgreSQL and H2, the table on MySQL), if any.
     */
    Optional<UniqueKey> objectNamed(ResolvedTable table, String name) throws SQLException;

    /** Whether a table with exactly this name exists in the default schema. */
    boolean tableExists(String exactName) throws SQLException;
}
