package com.example.safemigrate;

import dev.safemigrate.core.kit.Fixture;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/** A small table with padded names and e-mails, and the rows as they read before and after trimming. */
final class Customers {
    static final String UNIQUE_EMAIL = "uq_customers_email";

    private Customers() {
    }

    static void seed(DataSource dataSource) throws SQLException {
        Fixture.execute(dataSource,
                "CREATE TABLE customers (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(100), email VARCHAR(200) NOT NULL, visits INTEGER NOT NULL)",
                "INSERT INTO customers (id, name, email, visits) VALUES"
                        + " (1, 'Ada', 'ada@example.com', 10),"
                        + " (2, '  Grace ', 'grace@example.com ', 20),"
                        + " (3, 'Linus', ' linus@example.com', 30),"
                        + " (4, NULL, 'nobody@example.com', 40),"
                        + " (5, '   ', 'blank@example.com', 50),"
                        + " (6, 'Barbara  ', 'barbara@example.com', 60),"
                        + " (7, 'Ken Thompson', 'ken@example.com', 70)");
    }

    static Map<String, Object> row(int id, String name, String email, int visits) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("email", email);
        row.put("visits", visits);
        return row;
    }

    static List<Map<String, Object>> rows(DataSource dataSource) throws SQLException {
        return Fixture.rows(dataSource, "customers", "id");
    }

    /** Every row of every archive of {@code customers}, without bookkeeping columns, by id. */
    static List<Map<String, Object>> archived(DataSource dataSource) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String table : Fixture.tableNames(dataSource)) {
            String name = table.toLowerCase(Locale.ROOT);
            if (name.startsWith("sm_archive_") && name.endsWith("_customers")) {
                for (Map<String, Object> row : Fixture.rows(dataSource, "\"" + table + "\"", "id")) {
                    row.keySet().removeIf(k -> k.startsWith("sm_"));
                    rows.add(row);
                }
            }
        }
        rows.sort(Comparator.comparing(r -> (Integer) r.get("id")));
        return rows;
    }
}
