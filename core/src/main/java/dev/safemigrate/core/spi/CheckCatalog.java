package dev.safemigrate.core.spi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@link CheckPolicy} implementations share: a deny list of built-ins, and catalog queries over a check's names. */
public final class CheckCatalog {
    private CheckCatalog() {
    }

    /** "calls f (it ...)" for each function of {@code denied} (lower-case name to what it does) that the check calls. */
    public static List<String> deniedCalls(CheckSql check, Map<String, String> denied) {
        Map<String, String> refusals = new LinkedHashMap<>();
        for (CheckSql.Name call : check.functionCalls()) {
            String name = call.name().toLowerCase(Locale.ROOT);
            if (denied.containsKey(name)) {
                refusals.putIfAbsent(name, "calls " + name + " (it " + denied.get(name) + ")");
            }
        }
        return List.copyOf(refusals.values());
    }

    /** Each distinct name in {@code names}, in upper case (for a {@code UPPER(column) IN (...)} comparison). */
    public static List<String> upperCase(List<CheckSql.Name> names) {
        return List.copyOf(new LinkedHashSet<>(names.stream().map(n -> n.name().toUpperCase(Locale.ROOT)).toList()));
    }

    /** {@code ?, ?, ?} for an IN list of {@code values}; {@code NULL} (matching nothing) when there are none. */
    public static String marks(List<?> values) {
        return values.isEmpty() ? "NULL" : String.join(", ", Collections.nCopies(values.size(), "?"));
    }

    /** Every row of {@code sql}, with {@code parameters} bound in order, each column as a string. */
    public static List<List<String>> rows(Connection connection, String sql, List<String> parameters) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int c = 1; c <= columns; c++) {
                        row.add(rs.getString(c));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
