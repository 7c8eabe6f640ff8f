package dev.safemigrate.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code safemigrate.*}: whether to migrate at start-up, where the rules files are (each location a
 * directory of {@code *.yaml}/{@code *.yml} files or one file; {@code classpath:}, {@code classpath*:},
 * {@code file:}), and how long to wait for the migration lock and table locks.
 */
@ConfigurationProperties("safemigrate")
public record SafeMigrateProperties(@DefaultValue("true") boolean enabled, @DefaultValue("classpath:db/safemigrate") List<String> locations,
                                    @DefaultValue("60s") Duration lockTimeout) {
}
