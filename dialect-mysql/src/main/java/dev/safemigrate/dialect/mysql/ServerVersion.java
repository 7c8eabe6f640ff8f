package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.spi.DatabaseInfo;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL or MariaDB, and which version, from what Connector/J reports. MariaDB 10.x answers the
 * handshake with a {@code 5.5.5-} prefix ({@code 5.5.5-10.11.19-MariaDB-0+deb12u1}), so the driver's
 * major/minor numbers say 5.5; the real version follows the prefix.
 */
record ServerVersion(boolean mariaDb, int major, int minor) {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final String REPLICATION_PREFIX = "5.5.5-";

    static ServerVersion of(DatabaseInfo info) {
        String version = info.productVersion() == null ? "" : info.productVersion();
        boolean mariaDb = version.toLowerCase(Locale.ROOT).contains("mariadb")
                || info.productName().toLowerCase(Locale.ROOT).contains("mariadb");
        String text = version.startsWith(REPLICATION_PREFIX) && mariaDb ? version.substring(REPLICATION_PREFIX.length()) : version;
        Matcher matcher = VERSION.matcher(text);
        if (!matcher.find()) {
            return new ServerVersion(mariaDb, info.majorVersion(), info.minorVersion());
        }
        return new ServerVersion(mariaDb, Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    boolean atLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || major == wantedMajor && minor >= wantedMinor;
    }

    String product() {
        return mariaDb ? "MariaDB" : "MySQL";
    }
}
