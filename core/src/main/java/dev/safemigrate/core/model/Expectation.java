package dev.safemigrate.core.model;

import java.util.OptionalLong;

/** What a check's single number must be: exactly, at least, and/or at most a value. */
public record Expectation(OptionalLong exactly, OptionalLong min, OptionalLong max) {
    public static Expectation exactly(long value) {
        return new Expectation(OptionalLong.of(value), OptionalLong.empty(), OptionalLong.empty());
    }

    public boolean accepts(long actual) {
        return (exactly.isEmpty() || actual == exactly.getAsLong())
                && (min.isEmpty() || actual >= min.getAsLong())
                && (max.isEmpty() || actual <= max.getAsLong());
    }

    @Override
    public String toString() {
        if (exactly.isPresent()) {
            return "= " + exactly.getAsLong();
        }
        StringBuilder text = new StringBuilder();
        min.ifPresent(v -> text.append(">= ").append(v));
        max.ifPresent(v -> text.append(text.length() > 0 ? " and " : "").append("<= ").append(v));
        return text.toString();
    }
}
