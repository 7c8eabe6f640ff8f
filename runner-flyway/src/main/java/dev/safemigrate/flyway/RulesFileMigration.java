package dev.safemigrate.flyway;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.rules.Rules;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.executor.MigrationExecutor;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.extensibility.MigrationType;

/**
 * One rules file as a versioned Flyway migration: version and description from the file name as for
 * {@code V1__create.sql}, Flyway's checksum from the file's text (so an edited file fails Flyway's
 * validation as an edited SQL file does), and a {@link RulesFileExecutor} that runs it outside Flyway's
 * transaction.
 */
final class RulesFileMigration implements ResolvedMigration {
    private final MigrationVersion version;
    private final String description;
    private final String script;
    private final int checksum;
    private final String location;
    private final RulesFileExecutor executor;

    private RulesFileMigration(MigrationVersion version, String description, String script, int checksum, String location,
                               RulesFileExecutor executor) {
        this.version = version;
        this.description = description;
        this.script = script;
        this.checksum = checksum;
        this.location = location;
        this.executor = executor;
    }

    /** Reads and validates {@code file}; a badly named or invalid file stops Flyway before anything runs. */
    static RulesFileMigration read(LoadableResource file, Configuration configuration, Extensions extensions) {
        String name = file.getFilename();
        String prefix = configuration.getSqlMigrationPrefix();
        String separator = configuration.getSqlMigrationSeparator();
        String stem = name.substring(0, name.lastIndexOf('.'));
        int split = stem.indexOf(separator);
        if (!stem.startsWith(prefix) || split <= prefix.length()) {
            throw new FlywayException(file.getRelativePath() + ": a rules file for Flyway is named " + prefix + "<version>" + separator
                    + "<description>.yaml, as a versioned SQL migration is");
        }
        String text = text(file);
        Migration migration;
        try {
            migration = Rules.parse(extensions, text, file.getRelativePath());
        } catch (SafeMigrateException e) {
            throw new FlywayException("safemigrate: " + e.getMessage(), e);
        }
        return new RulesFileMigration(MigrationVersion.fromVersion(stem.substring(prefix.length(), split)),
                stem.substring(split + separator.length()).replace('_', ' '), file.getRelativePath(), checksum(text),
                file.getAbsolutePathOnDisk(), new RulesFileExecutor(migration, extensions));
    }

    private static String text(LoadableResource file) {
        StringWriter text = new StringWriter();
        try (Reader reader = file.read()) {
            reader.transferTo(text);
        } catch (IOException e) {
            throw new FlywayException(file.getRelativePath() + ": cannot read the rules file: " + e.getMessage(), e);
        }
        return text.toString();
    }

    /** CRC32 of the text with line endings made uniform, as Flyway checksums SQL files. */
    private static int checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public String getScript() {
        return script;
    }

    @Override
    public Integer getChecksum() {
        return checksum;
    }

    @Override
    public MigrationType getType() {
        return CoreMigrationType.CUSTOM;
    }

    @Override
    public String getPhysicalLocation() {
        return location;
    }

    @Override
    public MigrationExecutor getExecutor() {
        return executor;
    }

    @Override
    public boolean checksumMatches(Integer other) {
        return Objects.equals(checksum, other);
    }

    @Override
    public boolean checksumMatchesWithoutBeingIdentical(Integer other) {
        return false;
    }
}
