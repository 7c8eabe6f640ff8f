package dev.safemigrate.core.spi;

import java.util.List;

/** The outcome of an {@link Invariant}: whether it holds, the offending count and up to 5 sample keys. */
public record CheckResult(String check, boolean holds, long count, List<String> samples, String detail) {
    public CheckResult {
        samples = List.copyOf(samples);
    }

    public static CheckResult holds(String check) {
        return new CheckResult(check, true, 0, List.of(), "");
    }

    /** The message for a failed check: names the check, the count, and the samples. */
    public String message() {
        StringBuilder text = new StringBuilder(check).append(": ").append(detail);
        if (!samples.isEmpty()) {
            text.append("; for example ").append(String.join(", ", samples));
        }
        return text.toString();
    }
}
