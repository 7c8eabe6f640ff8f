package dev.safemigrate.flyway;

import dev.safemigrate.core.Extensions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.resolver.MigrationResolver;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Finds rules files named as Flyway names its versioned migrations, with a YAML suffix
 * ({@code V2__dedupe.yaml}), in Flyway's locations, and gives each to Flyway as a migration of its
 * versioned sequence. Listed in {@code META-INF/services/org.flywaydb.core.extensibility.Plugin}, so
 * Flyway loads it from its class path: adding this jar is the whole configuration.
 */
public final class SafeMigrateResolver implements MigrationResolver {
    private static final String[] SUFFIXES = {".yaml", ".yml"};

    @Override
    public Collection<ResolvedMigration> resolveMigrations(Context context) {
        Configuration configuration = context.configuration;
        Collection<LoadableResource> files = context.resourceProvider.getResources(configuration.getSqlMigrationPrefix(), SUFFIXES);
        if (files.isEmpty()) {
            return List.of();
        }
        Extensions extensions = Extensions.load(SafeMigrateResolver.class.getClassLoader());
        List<ResolvedMigration> migrations = new ArrayList<>();
        for (LoadableResource file : files) {
            migrations.add(RulesFileMigration.read(file, configuration, extensions));
        }
        return migrations;
    }
}
