package dev.safemigrate.core.sql;

import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.spi.ResolvedTable;
import java.util.List;

/** Renumbering a position column densely, in two moves through the archive so a unique key on it never sees two equal values. */
public class ResequenceSql extends SqlPart {
    public ResequenceSql(SqlSyntax syntax) {
        super(syntax);
    }

    /**
     * Rows of {@code table} whose {@code column} differs from its dense rank {@code start, start + 1, ...}
     * within {@code partition} in {@code order} (then primary key), with that rank as {@code newColumn}.
     */
    public String renumbered(ResolvedTable table, String column, List<String> partition, List<OrderItem> order, long start, String newColumn) {
        SqlSyntax.Ref s = ref(table, "s", 0);
        String window = "ROW_NUMBER() OVER (" + (partition.isEmpty() ? "" : "PARTITION BY " + qualifiedColumns(s.qualifier(), partition) + " ")
                + "ORDER BY " + syntax.orderBy(s.qualifier(), order, table) + ")";
        String ranked = "SELECT " + s.qualifier() + ".*, " + start + " + " + window + " - 1 AS " + quote(newColumn) + " FROM " + s.from();
        return "(SELECT * FROM (" + ranked + ") w WHERE w." + quote(column) + " IS NULL OR w." + quote(column) + " <> w." + quote(newColumn) + ")";
    }

    /** Sets {@code column} of the rows in {@code archive} to the archive's {@code archiveColumn} plus {@code offset}. */
    public String setFromArchive(ResolvedTable target, String column, ResolvedTable archive, String archiveColumn, long offset) {
        SqlSyntax.Ref b = ref(archive, "b", 0);
        String lookup = " FROM " + b.from() + " WHERE " + joinOn(b.qualifier(), table(target), target.primaryKey(), target.primaryKey());
        return "UPDATE " + table(target) + " SET " + quote(column) + " = (SELECT " + b.column(quote(archiveColumn)) + lookup
                + ") + " + offset + " WHERE EXISTS (SELECT 1" + lookup + ")";
    }

    /** Adds {@code delta} to {@code column} of the rows in {@code archive}. */
    public String shiftArchived(ResolvedTable target, String column, ResolvedTable archive, long delta) {
        SqlSyntax.Ref b = ref(archive, "b", 0);
        return "UPDATE " + table(target) + " SET " + quote(column) + " = " + quote(column) + " + " + delta + " WHERE EXISTS (SELECT 1 FROM "
                + b.from() + " WHERE " + joinOn(b.qualifier(), table(target), target.primaryKey(), target.primaryKey()) + ")";
    }
}
