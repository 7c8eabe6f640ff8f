package com.example.safemigrate;

import dev.safemigrate.core.spi.StepModule;

/** Contributes the {@code trim_spaces} step type; listed in {@code META-INF/services/dev.safemigrate.core.spi.StepModule}. */
public final class TrimSpacesModule extends StepModule {
    @Override
    protected void configure() {
        addStepType(TrimSpacesStep.TYPE).to(TrimSpacesType.class);
    }
}
