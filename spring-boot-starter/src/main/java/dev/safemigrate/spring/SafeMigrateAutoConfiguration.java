package dev.safemigrate.spring;

import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrate;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;

/**
 * A {@link SafeMigrate} on the application's DataSource, and a {@link SafeMigrateInitializer} that
 * applies the rules files of {@code safemigrate.locations} while the context starts. The initializer is
 * a database initializer of its own ({@link SafeMigrateInitializerDetector}): it runs after Flyway,
 * Liquibase and Boot's SQL scripts, and before anything that waits for database initialization (JPA).
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "safemigrate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SafeMigrateProperties.class)
public class SafeMigrateAutoConfiguration {
    /** The dialects and step types on the application's class path (Guice: built once). */
    @Bean
    @ConditionalOnMissingBean
    Extensions safeMigrateExtensions(ResourceLoader resourceLoader) {
        return Extensions.load(resourceLoader.getClassLoader());
    }

    @Bean
    @ConditionalOnMissingBean
    SafeMigrate safeMigrate(DataSource dataSource, Extensions extensions, SafeMigrateProperties properties) {
        return SafeMigrate.builder().dataSource(dataSource).extensions(extensions).lockTimeout(properties.lockTimeout()).build();
    }

    @Bean
    @ConditionalOnMissingBean
    SafeMigrateInitializer safeMigrateInitializer(SafeMigrate safeMigrate, Extensions extensions, SafeMigrateProperties properties,
                                                  ResourceLoader resourceLoader) {
        return new SafeMigrateInitializer(safeMigrate, new RulesLocations(resourceLoader, extensions, properties.locations()));
    }
}
