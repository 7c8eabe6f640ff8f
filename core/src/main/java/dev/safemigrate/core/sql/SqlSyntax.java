package dev.safemigrate.core.sql;

import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.spi.ResolvedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * How a dialect spells SQL: quoting, how a statement names a table ({@link #ref}), lists, joins and limits.
 * Every statement of the {@link Sql} parts is built from these, so a dialect that names tables differently
 * (MySQL under {@code LOCK TABLES}) overrides one hook instead of copying statements.
 */
public class SqlSyntax {
    private final UnaryOperator<String> quoting;

    /** {@code quoting} quotes one identifier exactly as the catalog spells it. */
    public SqlSyntax(UnaryOperator<String> quoting) {
        this.quoting = quoting;
    }

    /** A table as a statement reads it: the FROM item, and the name its columns are qualified with. */
    public record Ref(String from, String qualifier) {
        public String column(String quotedColumn) {
            return qualifier + "." + quotedColumn;
        }
    }

    /** What a statement reads rows from: a table, or a parenthesized query. */
    public record Relation(ResolvedTable table, String query) {
        public static Relation of(ResolvedTable table) {
            return new Relation(table, null);
        }

        /** {@code query} in parentheses. */
        public static Relation query(String query) {
            return new Relation(null, query);
        }

        public boolean isQuery() {
            return table == null;
        }
    }

    public String quote(String identifier) {
        return quoting.apply(identifier);
    }

    public String table(ResolvedTable table) {
        return table.schema() == null ? quote(table.name()) : quote(table.schema()) + "." + quote(table.name());
    }

    /**
     * How a statement reads {@code table} the {@code occurrence}-th time (0 first) under {@code alias}: as
     * the table and the alias, by default.
     */
    public Ref ref(ResolvedTable table, String alias, int occurrence) {
        return new Ref(table(table) + " " + alias, alias);
    }

    /** As {@link #ref(ResolvedTable, String, int)} for a table; a query is always read under {@code alias}. */
    public Ref ref(Relation relation, String alias, int occurrence) {
        return relation.isQuery() ? new Ref(relation.query() + " " + alias, alias) : ref(relation.table(), alias, occurrence);
    }

    /** The relation as it stands in a FROM clause without an alias. */
    public String from(Relation relation) {
        return relation.isQuery() ? relation.query() : table(relation.table());
    }

    public String columnList(List<String> columns) {
        return columns.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    public String qualifiedColumns(String qualifier, List<String> columns) {
        return columns.stream().map(c -> qualifier + "." + quote(c)).collect(Collectors.joining(", "));
    }

    public String joinOn(String left, String right, List<String> leftColumns, List<String> rightColumns) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < leftColumns.size(); i++) {
            terms.add(left + "." + quote(leftColumns.get(i)) + " = " + right + "." + quote(rightColumns.get(i)));
        }
        return String.join(" AND ", terms);
    }

    /** ORDER BY terms for a total order: NULLs of an order column always sort last, then the primary key breaks ties. */
    public String orderBy(String qualifier, List<OrderItem> order, ResolvedTable table) {
        List<String> terms = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (OrderItem item : order) {
            String column = qualifier + "." + quote(item.column());
            if (table.columns().stream().anyMatch(c -> c.name().equals(item.column()) && c.nullable())) {
                terms.add("CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END");
            }
            terms.add(column + (item.descending() ? " DESC" : " ASC"));
            seen.add(item.column());
        }
        for (String pk : table.primaryKey()) {
            if (!seen.contains(pk)) {
                terms.add(qualifier + "." + quote(pk) + " ASC");
            }
        }
        return String.join(", ", terms);
    }

    public String notNull(String qualifier, List<String> columns) {
        return columns.stream().map(c -> qualifier + "." + quote(c) + " IS NOT NULL").collect(Collectors.joining(" AND "));
    }

    /** Written before the SELECT of an INSERT that puts back rows with their own values of identity columns. */
    public String overridingSystemValue() {
        return "";
    }

    /** {@code select} cut to its first {@code rows} rows. */
    public String limit(String select, int rows) {
        return select + " FETCH FIRST " + rows + " ROWS ONLY";
    }

    public String countRows(ResolvedTable table) {
        return "SELECT COUNT(*) FROM " + table(table);
    }

    public String countRows(String relation) {
        return "SELECT COUNT(*) FROM " + relation + " r";
    }

    public String dropTable(ResolvedTable table) {
        return "DROP TABLE " + table(table);
    }

    public String deleteAll(ResolvedTable table) {
        return "DELETE FROM " + table(table);
    }

    /**
     * Empties a work table only the run uses, inside the run's transaction, many times over (online mode's chunk
     * table): a DELETE by default; a dialect whose deleted rows stay in the table until a vacuum empties it otherwise.
     */
    public String emptyWorkTable(ResolvedTable table) {
        return deleteAll(table);
    }
}
