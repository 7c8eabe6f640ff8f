package dev.safemigrate.examples;

import dev.safemigrate.core.kit.Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** The data of {@code flyway/} and {@code spring-boot/}: accounts with duplicate e-mail addresses and their invoices. */
final class AccountsExample {
    /** The oldest account of each address survives: 1 for ann (3 and 6 deleted), 5 for bob (2 deleted). */
    static final List<String> ACCOUNTS = List.of("1|ann@example.org|2024-01-05", "4|cy@example.org|2024-03-01", "5|bob@example.org|2024-01-02");
    /** Invoices of a deleted account now point at its survivor: 11, 13 -> 1; 12, 15 -> 5. Nothing else changed. */
    static final List<String> INVOICES = List.of("10|1|1200", "11|1|900", "12|5|4000", "13|1|150", "14|4|700", "15|5|2500");

    private AccountsExample() {
    }

    static List<String> rows(DataSource dataSource, String table) throws SQLException {
        return Fixture.rows(dataSource, table, "id").stream().map(AccountsExample::line).toList();
    }

    private static String line(Map<String, Object> row) {
        return row.values().stream().map(String::valueOf).collect(Collectors.joining("|"));
    }

    /** {@code name} under examples/, from this module's directory (Maven) or the repository root (an IDE). */
    static Path locate(String name) {
        for (Path candidate : List.of(Path.of(name), Path.of("examples", name))) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("examples/" + name + " not found from " + Path.of("").toAbsolutePath());
    }
}
