package dev.safemigrate.core.jdbc;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.ResolvedTable;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A table a dialect keeps for itself under a fixed name (a run lock's), made with {@code CREATE TABLE IF NOT
 * EXISTS}, which leaves a user's table of that name as it is: the dialect's statements would then fail on it with
 * a raw SQL error, or write into the user's rows. So a table under that name that lacks a column the dialect
 * writes is refused before anything is changed, saying what to do.
 */
public final class OwnTable {
    private OwnTable() {
    }

    /** Refuses (exit 3) when a table called {@code name} exists without one of {@code columns}; {@code use}: what safemigrate keeps in it. */
    public static void requireColumns(Catalog catalog, String name, List<String> columns, String use) throws SQLException {
        Optional<ResolvedTable> table = catalog.table(TableName.parse(name));
        if (table.isEmpty()) {
            return;
        }
        List<String> has = table.get().columnNames();
        List<String> missing = columns.stream().filter(c -> has.stream().noneMatch(c::equalsIgnoreCase)).toList();
        if (!missing.isEmpty()) {
            throw SafeMigrateException.refused("the table " + table.get() + " is not safemigrate's: safemigrate keeps " + use
                    + " in a table of that name, with the columns " + String.join(", ", columns) + ", and this one has " + String.join(", ", has)
                    + " (no " + String.join(", ", missing) + "). Nothing was changed; rename that table (or drop it, if nothing needs it) and run again");
        }
    }
}
