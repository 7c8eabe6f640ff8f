package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.ForeignKey;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.sql.SqlSyntax;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * InnoDB needs an index led by a foreign key's columns. It makes one for the key (named after the key) and
 * silently drops it once another index is led by the same columns, such as a unique key a run adds; dropping that
 * unique key again then fails ("needed in a foreign key constraint", errno 1553), which left reversals stuck and
 * undo impossible. So before an index is dropped, each foreign key that only it serves gets an index of its own
 * again, decided from the catalog when the drop runs: by then the user may have added an index that serves it.
 */
final class ForeignKeyIndexes {
    /** MySQL's longest identifier. */
    private static final int MAX_NAME = 64;

    private ForeignKeyIndexes() {
    }

    /** One {@code ALTER TABLE ... ADD INDEX} for the foreign keys that only index {@code dropped} serves, or none. */
    static List<String> beforeDrop(MysqlCatalog catalog, SqlSyntax syntax, ResolvedTable table, String dropped) throws SQLException {
        Map<String, List<String>> indexes = catalog.keyIndexes(table);
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(indexes.keySet());
        String droppedName = indexes.keySet().stream().filter(dropped::equalsIgnoreCase).findFirst().orElse(null);
        if (droppedName == null) {
            return List.of();
        }
        List<String> droppedColumns = indexes.remove(droppedName);
        List<String> additions = new ArrayList<>();
        for (ForeignKey key : catalog.foreignKeysFrom(table)) {
            List<String> columns = key.childColumns();
            if (leads(columns, droppedColumns) && indexes.values().stream().noneMatch(index -> leads(columns, index))) {
                String name = freeName(key.name(), names);
                names.add(name);
                indexes.put(name, columns);
                additions.add("ADD INDEX " + syntax.quote(name) + " (" + syntax.columnList(columns) + ")");
            }
        }
        return additions.isEmpty() ? List.of() : List.of("ALTER TABLE " + syntax.table(table) + " " + String.join(", ", additions));
    }

    /** Whether {@code columns} are the first columns of {@code index}, in order (MySQL compares column names case-insensitively). */
    private static boolean leads(List<String> columns, List<String> index) {
        if (columns.size() > index.size()) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).equalsIgnoreCase(index.get(i) == null ? "" : index.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The key's own name, as InnoDB would have named its index, or that name with the first free suffix. */
    private static String freeName(String keyName, Set<String> taken) {
        String name = keyName;
        for (int n = 1; taken.contains(name); n++) {
            String suffix = "_" + n;
            name = keyName.substring(0, Math.min(keyName.length(), MAX_NAME - suffix.length())) + suffix;
        }
        return name;
    }
}
