package dev.safemigrate.core.spi;

import com.google.inject.AbstractModule;
import com.google.inject.binder.LinkedBindingBuilder;
import com.google.inject.multibindings.MapBinder;

/**
 * A jar that adds step types lists a subclass in
 * {@code META-INF/services/dev.safemigrate.core.spi.StepModule} and binds each type with
 * {@link #addStepType(String)} under the key used in rules files.
 */
public abstract class StepModule extends AbstractModule {
    protected final LinkedBindingBuilder<StepType> addStepType(String yamlKey) {
        return MapBinder.newMapBinder(binder(), String.class, StepType.class).addBinding(yamlKey);
    }
}
