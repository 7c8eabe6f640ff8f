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
    private static final Pattern TYPE = Pattern.compile("([a-z]+\\d*)(?:\\((\\d+)(?:,\\s*(\\d+))?\\))?.*");
    private static final Pattern MEMBER = Pattern.compile("'(?:[^']|'')*'");
    private static final long[] DIGIT_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4};

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

    /**
     * Bytes of one column in an index key: InnoDB's storage size of the type, as MariaDB 10.11 counts it against
     * the limit (each figure checked there: a key of exactly 3072 bytes stays a B-tree, one byte more becomes a hash).
     */
    static long bytes(String columnType, String collation) {
        Matcher m = TYPE.matcher(columnType.toLowerCase(Locale.ROOT).trim());
        if (!m.matches()) {
            return 0;
        }
        String base = m.group(1);
        long length = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        long fraction = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        return switch (base) {
            case "char", "varchar" -> length * bytesPerCharacter(collation);
            case "binary", "varbinary" -> length;
            case "tinyint", "bool", "boolean", "year" -> 1;
            case "smallint" -> 2;
            case "mediumint", "date" -> 3;
            case "int", "integer", "float", "inet4" -> 4;
            case "bigint", "double", "real" -> 8;
            case "uuid", "inet6" -> 16;
            // Fractional seconds add a byte per two digits of precision.
            case "time" -> 3 + (length + 1) / 2;
            case "timestamp" -> 4 + (length + 1) / 2;
            case "datetime" -> 5 + (length + 1) / 2;
            case "decimal", "numeric" -> decimalBytes(length - fraction) + decimalBytes(fraction);
            case "enum" -> members(columnType) > 255 ? 2 : 1;
            case "set" -> setBytes(members(columnType));
            case "bit" -> (length + 7) / 8;
            default -> 0;
        };
    }

    /** Decimal digits are packed nine to four bytes, and the rest by {@code DIGIT_BYTES}. */
    private static long decimalBytes(long digits) {
        return digits / 9 * 4 + DIGIT_BYTES[(int) (digits % 9)];
    }

    private static long setBytes(long members) {
        return members > 32 ? 8 : (members + 7) / 8;
    }

    /** The values of {@code enum('a','b')} or {@code set(...)}; a quote inside a value is doubled. */
    private static long members(String columnType) {
        return MEMBER.matcher(columnType).results().count();
    }

    /** Every CHAR and VARCHAR column has a collation, whose name starts with its character set. */
    static int bytesPerCharacter(String collation) {
        String charset = collation.toLowerCase(Locale.ROOT).split("_", 2)[0];
        return switch (charset) {
            case "utf8mb4", "utf16", "utf16le", "utf32", "gb18030" -> 4;
            case "utf8", "utf8mb3", "ujis", "eucjpms" -> 3;
            case "ucs2", "big5", "gbk", "sjis", "cp932", "euckr", "gb2312" -> 2;
            default -> 1;
        };
    }
}
