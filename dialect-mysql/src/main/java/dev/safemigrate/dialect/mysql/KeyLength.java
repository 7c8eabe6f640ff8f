package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.ColumnInfo;
import dev.safemigrate.core.spi.ResolvedTable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte length of an index key, from the column types {@link MysqlCatalog} reads
 * ({@code varchar(1000)}) and their collations ({@code utf8mb4_general_ci}: 4 bytes a character).
 */
final class KeyLength {
    /** InnoDB's limit for DYNAMIC and COMPRESSED rows, the default row format since MySQL 5.7 and MariaDB 10.2. */
    static final int INNODB_MAX_KEY_BYTES = 3072;
    private static final Pattern TYPE = Pattern.compile("([a-z]+)(?:\\((\\d+)(?:,\\s*(\\d+))?\\))?.*");

    private KeyLength() {
    }

    static void require(ResolvedTable table, String name, List<String> columns) {
        long total = 0;
        StringBuilder parts = new StringBuilder();
        for (String column : columns) {
            ColumnInfo info = table.columns().stream().filter(c -> c.name().equals(column)).findFirst().orElse(null);
            if (info == null) {
                continue;
            }
            String type = info.typeName().toLowerCase(Locale.ROOT);
            if (type.endsWith("text") || type.endsWith("blob") || type.equals("json")) {
                throw SafeMigrateException.refused("add_unique " + name + " on " + table + ": column " + column + " is " + info.typeName()
                        + ", which a MySQL/MariaDB unique index cannot cover in full");
            }
            long bytes = bytes(type, info.collation());
            total += bytes;
            parts.append(parts.length() == 0 ? "" : " + ").append(column).append(' ').append(info.typeName())
                    .append(info.collation() == null ? "" : " " + info.collation()).append(" = ").append(bytes);
        }
        if (total > INNODB_MAX_KEY_BYTES) {
            throw SafeMigrateException.refused("add_unique " + name + " on " + table + ": the index key would be " + total
                    + " bytes (" + parts + "), over InnoDB's limit of " + INNODB_MAX_KEY_BYTES
                    + " bytes; MySQL rejects it (error 1071) and MariaDB would silently build a hash index instead."
                    + " Shorten the columns or use a smaller character set");
        }
    }

    static long bytes(String columnType, String collation) {
        Matcher m = TYPE.matcher(columnType.toLowerCase(Locale.ROOT).trim());
        if (!m.matches()) {
            return 0;
        }
        String base = m.group(1);
        long length = m.group(2) == null ? 1 : Long.parseLong(m.group(2));
        return switch (base) {
            case "char", "varchar" -> length * bytesPerCharacter(collation);
            case "binary", "varbinary" -> length;
            case "tinyint", "bool", "boolean" -> 1;
            case "smallint", "year" -> 2;
            case "mediumint", "date", "time" -> 3;
            case "int", "integer", "float", "timestamp" -> 4;
            case "bigint", "double", "real", "datetime" -> 8;
            case "decimal", "numeric" -> length / 2 + 1;
            case "enum", "set" -> 2;
            case "bit" -> (length + 7) / 8;
            default -> 0;
        };
    }

    static int bytesPerCharacter(String collation) {
        if (collation == null) {
            return 1;
        }
        String charset = collation.toLowerCase(Locale.ROOT).split("_", 2)[0];
        return switch (charset) {
            case "utf8mb4", "utf16", "utf16le", "utf32", "gb18030" -> 4;
            case "utf8", "utf8mb3", "ujis", "eucjpms" -> 3;
            case "ucs2", "big5", "gbk", "sjis", "cp932", "euckr", "gb2312" -> 2;
            default -> 1;
        };
    }
}
