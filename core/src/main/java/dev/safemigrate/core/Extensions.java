package dev.safemigrate.core;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import dev.safemigrate.core.spi.DatabaseInfo;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.DialectModule;
import dev.safemigrate.core.spi.StepModule;
import dev.safemigrate.core.spi.StepType;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.spi.StrategyModule;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The dialects, step types and execution strategies on the class path: every {@link DialectModule},
 * {@link StepModule} and {@link StrategyModule} listed in {@code META-INF/services}, wired by Guice.
 */
public final class Extensions {
    private final Map<String, Dialect> dialects;
    private final Map<String, StepType> stepTypes;
    private final Map<String, Strategy> strategies;

    private Extensions(Injector injector) {
        this.dialects = injector.getInstance(Key.get(new TypeLiteral<Map<String, Dialect>>() { }));
        this.stepTypes = injector.getInstance(Key.get(new TypeLiteral<Map<String, StepType>>() { }));
        this.strategies = injector.getInstance(Key.get(new TypeLiteral<Map<String, Strategy>>() { }));
    }

    /** Loads what the context class loader can see. */
    public static Extensions load() {
        return load(Thread.currentThread().getContextClassLoader());
    }

    public static Extensions load(ClassLoader loader) {
        List<Module> modules = new ArrayList<>();
        java.util.ServiceLoader.load(DialectModule.class, loader).forEach(modules::add);
        java.util.ServiceLoader.load(StepModule.class, loader).forEach(modules::add);
        java.util.ServiceLoader.load(StrategyModule.class, loader).forEach(modules::add);
        modules.add(new AbstractModule() {
            @Override
            protected void configure() {
                MapBinder.newMapBinder(binder(), String.class, Dialect.class);
                MapBinder.newMapBinder(binder(), String.class, StepType.class);
                MapBinder.newMapBinder(binder(), String.class, Strategy.class);
            }
        });
        return new Extensions(Guice.createInjector(modules));
    }

    public Map<String, Dialect> dialects() {
        return dialects;
    }

    public Map<String, StepType> stepTypes() {
        return stepTypes;
    }

    public Map<String, Strategy> strategies() {
        return strategies;
    }

    /**
     * The dialect named {@code explicit}, else the most specific one whose probe matches the live connection;
     * its {@link Dialect#checkSupported} is asked either way (for a named one, it refuses another product). An unknown name, no match, or two matches of the
     * same specificity fail listing the known dialects.
     */
    public Dialect dialectFor(Connection connection, DatabaseInfo info, Optional<String> explicit) throws SQLException {
        String known = String.join(", ", new TreeSet<>(dialects.keySet()));
        Dialect chosen;
        if (explicit.isPresent()) {
            chosen = dialects.get(explicit.get());
            if (chosen == null) {
                throw SafeMigrateException.invalid("unknown dialect '" + explicit.get() + "'; known dialects: " + known);
            }
        } else {
            List<Dialect> ranked = new ArrayList<>(dialects.values());
            ranked.sort(Comparator.comparingInt(Dialect::specificity).reversed());
            List<Dialect> matching = new ArrayList<>();
            for (Dialect dialect : ranked) {
                if ((matching.isEmpty() || matching.get(0).specificity() == dialect.specificity()) && dialect.matches(connection, info)) {
                    matching.add(dialect);
                }
            }
            if (matching.size() != 1) {
                throw SafeMigrateException.invalid("no dialect supports " + info + (matching.isEmpty() ? "" : " unambiguously ("
                        + String.join(", ", matching.stream().map(Dialect::name).toList()) + " all match; choose one with --dialect)")
                        + "; known dialects: " + known + " (add the jar of a dialect module for this database)");
            }
            chosen = matching.get(0);
        }
        chosen.checkSupported(info);
        return chosen;
    }
}
