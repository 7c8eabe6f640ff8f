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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The dialects and step types on the class path: every {@link DialectModule} and {@link StepModule}
 * listed in {@code META-INF/services}, wired by Guice.
 */
public final class Extensions {
    private final Map<String, Dialect> dialects;
    private final Map<String, StepType> stepTypes;

    private Extensions(Injector injector) {
        this.dialects = injector.getInstance(Key.get(new TypeLiteral<Map<String, Dialect>>() { }));
        this.stepTypes = injector.getInstance(Key.get(new TypeLiteral<Map<String, StepType>>() { }));
    }

    /** Loads what the context class loader can see. */
    public static Extensions load() {
        return load(Thread.currentThread().getContextClassLoader());
    }

    public static Extensions load(ClassLoader loader) {
        List<Module> modules = new ArrayList<>();
        ServiceLoader.load(DialectModule.class, loader).forEach(modules::add);
        ServiceLoader.load(StepModule.class, loader).forEach(modules::add);
        modules.add(new AbstractModule() {
            @Override
            protected void configure() {
                MapBinder.newMapBinder(binder(), String.class, Dialect.class);
                MapBinder.newMapBinder(binder(), String.class, StepType.class);
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

    /** The dialect named {@code explicit}, else the one that handles {@code info}; fails listing the known ones. */
    public Dialect dialectFor(DatabaseInfo info, Optional<String> explicit) {
        String known = String.join(", ", new TreeSet<>(dialects.keySet()));
        if (explicit.isPresent()) {
            Dialect dialect = dialects.get(explicit.get());
            if (dialect == null) {
                throw SafeMigrateException.invalid("unknown dialect '" + explicit.get() + "'; known dialects: " + known);
            }
            return dialect;
        }
        List<Dialect> matching = dialects.values().stream().filter(d -> d.handles(info)).toList();
        if (matching.size() != 1) {
            throw SafeMigrateException.invalid("no dialect supports " + info + (matching.isEmpty() ? "" : " unambiguously")
                    + "; known dialects: " + known + " (add the jar of a dialect module for this database)");
        }
        matching.get(0).checkSupported(info);
        return matching.get(0);
    }
}
