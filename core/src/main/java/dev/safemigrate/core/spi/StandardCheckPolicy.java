package dev.safemigrate.core.spi;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@link CheckPolicy#STANDARD}: for a database safemigrate knows nothing about, a check may call only
 * the functions of standard SQL (none of which has an effect), unqualified, and may not read a view,
 * whose definition it cannot read. Views are found through {@link DatabaseMetaData}, in every schema.
 */
final class StandardCheckPolicy implements CheckPolicy {
    /** Standard functions, and the grammar's words that a parenthesis may follow. */
    private static final Set<String> HARMLESS = Set.of(
            "count", "sum", "avg", "min", "max", "every", "any_value", "stddev_pop", "stddev_samp", "var_pop", "var_samp",
            "coalesce", "nullif", "cast", "greatest", "least", "abs", "ceil", "ceiling", "floor", "round", "mod", "power", "sqrt",
            "exp", "ln", "log", "log10", "sign", "lower", "upper", "trim", "ltrim", "rtrim", "substring", "substr", "position",
            "char_length", "character_length", "octet_length", "length", "concat", "replace", "left", "right", "lpad", "rpad",
            "overlay", "extract", "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
            "first_value", "last_value", "nth_value",
            "exists", "in", "any", "all", "some", "array", "row", "values", "and", "or", "not", "on", "using", "when", "then", "else",
            "case", "from", "join", "where", "select", "with", "having", "by", "distinct", "is", "like", "between", "lateral",
            "union", "intersect", "except", "group", "over", "filter", "as");

    @Override
    public List<String> refusals(CheckSql check, Connection connection) throws SQLException {
        List<String> refusals = new ArrayList<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (CheckSql.Name call : check.functionCalls()) {
            if (call.qualifier() != null || !HARMLESS.contains(call.name().toLowerCase(Locale.ROOT))) {
                unknown.add(call.toString());
            }
        }
        if (!unknown.isEmpty()) {
            refusals.add("calls " + String.join(", ", unknown) + ", which this dialect does not declare harmless (it has no check policy,"
                    + " so only standard SQL functions are allowed)");
        }
        Set<String> views = new LinkedHashSet<>();
        DatabaseMetaData meta = connection.getMetaData();
        for (CheckSql.Name name : new LinkedHashSet<>(check.names())) {
            for (String spelling : new LinkedHashSet<>(List.of(name.name(), name.name().toUpperCase(Locale.ROOT), name.name().toLowerCase(Locale.ROOT)))) {
                try (ResultSet rs = meta.getTables(null, null, spelling, new String[] {"VIEW"})) {
                    if (rs.next()) {
                        views.add(name.toString());
                    }
                }
            }
        }
        if (!views.isEmpty()) {
            refusals.add("reads the view " + String.join(", ", views) + ", whose definition this dialect cannot show (it has no check policy)");
        }
        return refusals;
    }
}
