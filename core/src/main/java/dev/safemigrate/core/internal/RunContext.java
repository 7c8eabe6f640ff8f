package dev.safemigrate.core.internal;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StepContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the steps of one migration share while it is planned and run: resolved tables, archives, warnings. {@link #step} gives each its view. */
final class RunContext {
    private final Session session;
    private final String migrationId;
    private final Guards guards;
    private final Map<TableName, ResolvedTable> tables = new HashMap<>();
    private final Map<String, ResolvedTable> archives = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    RunContext(Session session, String migrationId, Guards guards) {
        this.session = session;
        this.migrationId = migrationId;
        this.guards = guards;
    }

    /** What step {@code index} sees: its own archives, everything else shared. */
    StepContext step(int index) {
        return new StepView(index);
    }

    List<String> warnings() {
        return warnings;
    }

    /** A warning shown by {@code plan} and {@code migrate}, once. */
    void warn(String message) {
        if (!warnings.contains(message)) {
            warnings.add(message);
        }
    }

    void registerArchive(int stepIndex, String role, ResolvedTable archive) {
        archives.put(stepIndex + "/" + role, archive);
    }

    /** The name of the archive table for {@code role} of step {@code stepIndex}: stable, readable, short enough for every database. */
    String archiveName(int stepIndex, String role, ResolvedTable source) {
        String base = source.name().toLowerCase(Locale.ROOT);
        String name = "sm_archive_" + hash(migrationId + "/" + stepIndex + "/" + role) + "_" + base.substring(0, Math.min(30, base.length()));
        return session.upperCaseIdentifiers ? name.toUpperCase(Locale.ROOT) : name;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class StepView implements StepContext {
        private final int index;

        StepView(int index) {
            this.index = index;
        }

        @Override
        public Dialect dialect() {
            return session.dialect;
        }

        @Override
        public DatabaseInfo databaseInfo() {
            return session.info;
        }

        @Override
        public Db db() {
            return session.db;
        }

        @Override
        public Catalog catalog() {
            return session.catalog;
        }

        @Override
        public ResolvedTable table(TableName name) throws SQLException {
            ResolvedTable cached = tables.get(name);
            if (cached != null) {
                return cached;
            }
            ResolvedTable resolved = session.catalog.table(name).orElseThrow(() ->
                    SafeMigrateException.invalid("migration " + migrationId + ": table " + name + " does not exist"));
            tables.put(name, resolved);
            return resolved;
        }

        @Override
        public String column(ResolvedTable table, String name) {
            List<String> columns = table.columnNames();
            if (columns.contains(name)) {
                return name;
            }
            List<String> folded = columns.stream().filter(c -> c.equalsIgnoreCase(name)).toList();
            if (folded.size() != 1) {
                throw SafeMigrateException.invalid("migration " + migrationId + ": table " + table + " has no column " + name
                        + " (its columns: " + String.join(", ", columns) + ")");
            }
            return folded.get(0);
        }

        @Override
        public String migrationId() {
            return migrationId;
        }

        @Override
        public Guards guards() {
            return guards;
        }

        @Override
        public String archiveName(String role, ResolvedTable source) {
            return RunContext.this.archiveName(index, role, source);
        }

        @Override
        public ResolvedTable archive(String role) {
            return runArchive(role).orElseThrow(() -> new IllegalStateException("step " + index + " has no archive '" + role + "'"));
        }

        @Override
        public Optional<ResolvedTable> runArchive(String role) {
            return Optional.ofNullable(archives.get(index + "/" + role));
        }

        @Override
        public void warn(String message) {
            RunContext.this.warn(message);
        }
    }
}
