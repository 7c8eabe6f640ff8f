package dev.safemigrate.core;

import dev.safemigrate.core.spi.CheckResult;
import java.util.List;

/** The invariants the rules declare, each checked against the live data. */
public record VerifyReport(List<Check> checks) {
    public VerifyReport {
        checks = List.copyOf(checks);
    }

    /** One check of migration {@code migrationId}. */
    public record Check(String migrationId, CheckResult result) {
    }

    public boolean holds() {
        return checks.stream().allMatch(c -> c.result().holds());
    }

    public List<Check> violations() {
        return checks.stream().filter(c -> !c.result().holds()).toList();
    }
}
