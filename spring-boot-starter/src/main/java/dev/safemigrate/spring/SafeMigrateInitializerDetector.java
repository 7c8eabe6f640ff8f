package dev.safemigrate.spring;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

/**
 * Makes {@link SafeMigrateInitializer} a database initializer that Boot orders after Flyway and
 * Liquibase (order 0 and 1) and after its own SQL scripts ({@code LOWEST_PRECEDENCE - 100}): the rules
 * run on the schema they build.
 */
public class SafeMigrateInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {
    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(SafeMigrateInitializer.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 50;
    }
}
