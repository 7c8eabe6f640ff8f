package dev.safemigrate.core.kit;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The spec's example in portable SQL: {@code action_invariants} with duplicates on
 * (action_name, position), and {@code invariant_checks} whose foreign key points into it.
 * Survivors are the lowest id of each key; every tenth row has NULL {@code note} to prove types and
 * NULLs survive the archive.
 */
public final class Fixture {
    /** Distinct keys: ids 1..200. Duplicates: ids 201..260, each copying the key of id (i - 200) * 3. */
    public static final int UNIQUE_ROWS = 200;
    public static final int DUPLICATE_ROWS = 60;
    public static final int CHILD_ROWS = 150;

    private Fixture() {
    }

    public static void createTables(DataSource dataSource) throws SQLException {
        execute(dataSource,
                "CREATE TABLE action_invariants (id INTEGER NOT NULL PRIMARY KEY, action_name VARCHAR(100) NOT NULL,"
                        + " position INTEGER NOT NULL, note VARCHAR(100), weight DECIMAL(10,2), created_at TIMESTAMP NULL)",
                "CREATE TABLE invariant_checks (id INTEGER NOT NULL PRIMARY KEY, invariant_id INTEGER NOT NULL, label VARCHAR(50) NOT NULL,"
                        + " CONSTRAINT fk_checks_invariant FOREIGN KEY (invariant_id) REFERENCES action_invariants (id),"
                        + " CONSTRAINT uq_checks_label UNIQUE (invariant_id, label))");
    }

    /** Creates and fills both tables. */
    public static void seed(DataSource dataSource) throws SQLException {
        createTables(dataSource);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO action_invariants (id, action_name, position, note, weight, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int id = 1; id <= UNIQUE_ROWS + DUPLICATE_ROWS; id++) {
                    int keyOf = id <= UNIQUE_ROWS ? id : (id - UNIQUE_ROWS) * 3;
                    insert.setInt(1, id);
                    insert.setString(2, actionName(keyOf));
                    insert.setInt(3, position(keyOf));
                    insert.setString(4, id % 10 == 0 ? null : "note " + id);
                    insert.setBigDecimal(5, new BigDecimal(id).movePointLeft(2));
                    insert.setTimestamp(6, Timestamp.valueOf(LocalDateTime.of(2025, 1, 1, 0, 0).plusHours(id)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO invariant_checks (id, invariant_id, label) VALUES (?, ?, ?)")) {
                for (int id = 1; id <= CHILD_ROWS; id++) {
                    insert.setInt(1, id);
                    insert.setInt(2, id <= 100 ? id : UNIQUE_ROWS + (id - 100));
                    insert.setString(3, "check " + id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    public static String actionName(int key) {
        return "action_" + (key % 40);
    }

    public static int position(int key) {
        return key / 40;
    }

    public static void execute(DataSource dataSource, String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    public static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of a table ordered by {@code orderBy}, column names lower-cased, values as the driver returns them. */
    public static List<Map<String, Object>> rows(DataSource dataSource, String table, String orderBy) throws SQLException {
        return query(dataSource, "SELECT * FROM " + table + " ORDER BY " + orderBy);
    }

    public static List<Map<String, Object>> query(DataSource dataSource, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Table names of the default schema, lower-cased. */
    public static List<String> tables(DataSource dataSource) throws SQLException {
        return tableNames(dataSource).stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
    }

    /** Table names of the default schema, as the catalog spells them. */
    public static List<String> tableNames(DataSource dataSource) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            String catalog = connection.getCatalog();
            String schema = connection.getSchema();
            boolean catalogs = isMysql(connection);
            try (ResultSet rs = connection.getMetaData().getTables(catalogs ? catalog : null, catalogs ? null : schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        return names;
    }

    /** Whether a constraint of this name exists, per {@code information_schema.table_constraints}. */
    public static boolean constraintExists(DataSource dataSource, String name) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.table_constraints WHERE LOWER(constraint_name) = ? AND table_schema = ?")) {
            statement.setString(1, name.toLowerCase(Locale.ROOT));
            statement.setString(2, isMysql(connection) ? connection.getCatalog() : connection.getSchema());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static boolean isMysql(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("mysql") || product.contains("mariadb");
    }
}
