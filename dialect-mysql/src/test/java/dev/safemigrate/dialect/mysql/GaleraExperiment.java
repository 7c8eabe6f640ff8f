package dev.safemigrate.dialect.mysql;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A Galera experiment: a measurement behind docs/galera-notes.md, several minutes in all (it kills
 * and restarts nodes), so the suite runs it only with {@code -Dsafemigrate.galera.experiments=true}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfSystemProperty(named = "safemigrate.galera.experiments", matches = "true",
        disabledReason = "a measurement for docs/galera-notes.md; run with -Dsafemigrate.galera.experiments=true")
@interface GaleraExperiment {
}
