package dev.safemigrate.core.spi;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;

/**
 * A jar that adds a database lists a subclass in
 * {@code META-INF/services/dev.safemigrate.core.spi.DialectModule} and binds its dialect with
 * {@link #addDialect(String)}.
 */
public abstract class DialectModule extends AbstractModule {
    /** The binding for the dialect called {@code name}; call {@code .to(MyDialect.class)} on it. */
    protected final com.google.inject.binder.LinkedBindingBuilder<Dialect> addDialect(String name) {
        return MapBinder.newMapBinder(binder(), String.class, Dialect.class).addBinding(name);
    }
}
