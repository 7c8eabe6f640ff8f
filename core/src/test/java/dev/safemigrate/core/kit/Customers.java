package dev.safemigrate.core.kit;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The runners' shared scenario: a {@code customer} table with duplicate e-mail addresses, the rules file
 * that removes them and adds {@code uq_customer_email}, and the same file with a fault (a postcondition
 * that fails after the rows were deleted, so the run has data to put back). Portable SQL: H2, PostgreSQL
 * and MariaDB run it as it is.
 */
public final class Customers {
    public static final String ID = "dedupe_customers";
    public static final String UNIQUE = "uq_customer_email";
    public static final String CREATE = "CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(100) NOT NULL)";
    public static final String INSERT = "INSERT INTO customer (id, email, name) VALUES"
            + " (1, 'a@example.org', 'Ann'), (2, 'b@example.org', 'Bob'), (3, 'a@example.org', 'Ann A.'),"
            + " (4, 'c@example.org', 'Cy'), (5, 'b@example.org', 'Bob B.')";
    /** A later migration: one more customer. */
    public static final String MORE = "INSERT INTO customer (id, email, name) VALUES (6, 'd@example.org', 'Dee')";

    public static final String RULES = """
            id: dedupe_customers
            description: One customer per e-mail address, then a unique constraint
            steps:
              - dedupe:
                  table: customer
                  key: [email]
                  keep:
                    order_by: [id]
              - add_unique:
                  table: customer
                  name: uq_customer_email
                  columns: [email]
            """;
    /** {@link #RULES} with a check that fails once the duplicates are deleted: the run must put them back. */
    public static final String FAULTY_RULES = RULES + """
            postconditions:
              - sql: SELECT COUNT(*) FROM customer
                expect: 5
            """;
    /** What the fault's message says. */
    public static final String FAULT_MESSAGE = "SELECT COUNT(*) FROM customer";

    public static final List<String> SEEDED = List.of(
            "1|a@example.org|Ann", "2|b@example.org|Bob", "3|a@example.org|Ann A.", "4|c@example.org|Cy", "5|b@example.org|Bob B.");
    /** After the rules file: the lowest id of each e-mail address is kept. */
    public static final List<String> DEDUPED = List.of("1|a@example.org|Ann", "2|b@example.org|Bob", "4|c@example.org|Cy");
    public static final List<String> DEDUPED_AND_MORE = List.of(
            "1|a@example.org|Ann", "2|b@example.org|Bob", "4|c@example.org|Cy", "6|d@example.org|Dee");

    private Customers() {
    }

    /** The customer rows by id, each as {@code id|email|name}. */
    public static List<String> rows(DataSource dataSource) throws SQLException {
        return Fixture.rows(dataSource, "customer", "id").stream().map(Customers::line).toList();
    }

    private static String line(Map<String, Object> row) {
        return row.values().stream().map(String::valueOf).collect(Collectors.joining("|"));
    }

    /** Whether the rules file's constraint exists. */
    public static boolean unique(DataSource dataSource) throws SQLException {
        return Fixture.constraintExists(dataSource, UNIQUE);
    }
}
