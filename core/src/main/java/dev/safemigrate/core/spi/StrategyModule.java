package dev.safemigrate.core.spi;

import com.google.inject.AbstractModule;
import com.google.inject.binder.LinkedBindingBuilder;
import com.google.inject.multibindings.MapBinder;

/**
 * A jar that adds execution strategies (a dialect's own, or a general one) lists a subclass in
 * {@code META-INF/services/dev.safemigrate.core.spi.StrategyModule} and binds each with
 * {@link #addStrategy(String)} under its {@link Strategy#name}.
 */
public abstract class StrategyModule extends AbstractModule {
    protected final LinkedBindingBuilder<Strategy> addStrategy(String name) {
        return MapBinder.newMapBinder(binder(), String.class, Strategy.class).addBinding(name);
    }
}
