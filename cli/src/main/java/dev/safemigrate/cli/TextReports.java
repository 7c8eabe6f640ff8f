package dev.safemigrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safemigrate.core.HistoryStatus;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.StatusReport;
import dev.safemigrate.core.VerifyReport;
import dev.safemigrate.core.spi.CheckResult;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.strategies.OnlineStrategy;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The library's reports as text for people. */
final class TextReports {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private TextReports() {
    }

    static String plan(MigrationPlan plan) {
        StringBuilder text = new StringBuilder();
        for (MigrationPlan.Item item : plan.migrations()) {
            if (!"pending".equals(item.status())) {
                text.append(item.id()).append(": already ").append(item.status()).append(", nothing to do\n");
                continue;
            }
            text.append(item.id()).append(": pending, would run as ").append(item.strategy()).append('\n');
            if (!item.description().isBlank()) {
                text.append("  ").append(item.description()).append('\n');
            }
            item.strategyPlan().forEach(line -> text.append("  ").append(line).append('\n'));
            for (MigrationPlan.StepPlan step : item.steps()) {
                text.append("  step ").append(step.number()).append('/').append(item.steps().size()).append(" [")
                        .append(step.kind()).append("] ").append(step.summary()).append('\n');
                estimate(text, step.kind(), step.estimate());
            }
            item.warnings().forEach(w -> text.append("  warning: ").append(w).append('\n'));
            item.otherStrategies().forEach(s -> text.append("  not ").append(s).append('\n'));
            item.statements().forEach(paragraph -> text.append('\n').append(paragraph).append('\n'));
            if (!item.statements().isEmpty()) {
                text.append('\n');
            }
        }
        long pending = plan.migrations().stream().filter(i -> "pending".equals(i.status())).count();
        text.append(Text.rows(pending, "migration")).append(" pending, ").append(plan.migrations().size() - pending)
                .append(" already applied; nothing was changed");
        return text.toString();
    }

    private static void estimate(StringBuilder text, StepKind kind, StepEstimate estimate) {
        String indent = "      ";
        if (estimate.noop()) {
            text.append(indent).append("nothing to do").append('\n');
        } else if (kind == StepKind.DML) {
            text.append(indent).append("delete ").append(Text.count(estimate.rowsToDelete())).append(" of ")
                    .append(Text.rows(estimate.tableRows(), "row")).append(", update ").append(Text.count(estimate.rowsToUpdate()))
                    .append(", archive ").append(Text.count(estimate.rowsToArchive())).append('\n');
        }
        if (!estimate.sampleKeys().isEmpty()) {
            text.append(indent).append("sample keys: ").append(String.join(", ", estimate.sampleKeys())).append('\n');
        }
        estimate.notes().forEach(n -> text.append(indent).append(n).append('\n'));
    }

    static String migrate(MigrationReport report) {
        StringBuilder text = new StringBuilder();
        report.recovered().forEach(line -> text.append("recovered: ").append(line).append('\n'));
        long applied = 0;
        for (MigrationReport.Result result : report.migrations()) {
            if ("already_applied".equals(result.outcome())) {
                text.append(result.id()).append(": already applied\n");
                continue;
            }
            applied++;
            text.append(result.id()).append(": ").append(result.outcome().replace('_', ' ')).append(" (").append(result.strategy())
                    .append(") in ").append(Text.duration(result.elapsed())).append('\n');
            for (MigrationReport.StepResult step : result.steps()) {
                text.append("  step ").append(step.number()).append(' ').append(step.summary()).append(": ").append(outcome(step.outcome()))
                        .append('\n');
            }
            result.online().ifPresent(online -> text.append("  online: ").append(Text.rows(online.chunks(), "chunk")).append(", ")
                    .append(Text.rows(online.retries(), "lock wait")).append(" ran out and tried again, longest lock held ")
                    .append(Text.duration(online.longestLock())).append('\n'));
            result.warnings().forEach(w -> text.append("  warning: ").append(w).append('\n'));
        }
        text.append(applied == 0 ? "nothing to migrate: " + Text.rows(report.migrations().size(), "migration") + " already applied"
                : Text.rows(applied, "migration") + " applied, " + (report.migrations().size() - applied) + " already applied");
        return text.toString();
    }

    private static String outcome(StepOutcome outcome) {
        if (outcome.noop()) {
            return "nothing to do";
        }
        if (outcome.deleted() == 0 && outcome.updated() == 0 && outcome.archived() == 0) {
            return "done";
        }
        return "deleted " + Text.count(outcome.deleted()) + ", updated " + Text.count(outcome.updated()) + ", archived "
                + Text.count(outcome.archived());
    }

    static String verify(VerifyReport report) {
        StringBuilder text = new StringBuilder();
        for (VerifyReport.Check check : report.checks()) {
            CheckResult result = check.result();
            text.append(result.holds() ? "ok      " : "FAILED  ").append(check.migrationId()).append(": ")
                    .append(result.holds() ? result.check() : result.message() + " (count " + Text.count(result.count()) + ")").append('\n');
        }
        int failed = report.violations().size();
        text.append(failed == 0 ? "all " + Text.rows(report.checks().size(), "check") + " hold"
                : failed + " of " + Text.rows(report.checks().size(), "check") + " failed");
        return text.toString();
    }

    static String status(StatusReport status, boolean filesGiven) {
        StringBuilder text = new StringBuilder();
        if (status.history().isEmpty()) {
            text.append("no migration has run on this database yet\n");
        }
        for (HistoryEntry entry : status.history()) {
            text.append(String.format("%-40s %-12s %-19s %-19s %s%n", entry.id(), entry.status(),
                    entry.startedAt() == null ? "" : TIME.format(entry.startedAt()),
                    entry.finishedAt() == null ? "" : TIME.format(entry.finishedAt()), entry.strategy() == null ? "" : entry.strategy()));
            if (entry.phase() != null) {
                String note = OnlineStrategy.statusNote(new RunPhase(entry.phase())).map(words -> " (" + words + ")").orElse("");
                text.append("    phase: ").append(entry.phase()).append(note).append('\n');
            }
            if (entry.status() == HistoryStatus.IN_PROGRESS) {
                text.append("    interrupted or still running: `safemigrate recover` (or the next migrate) completes or reverses it\n");
            }
            status.changed().stream().filter(c -> c.id().equals(entry.id())).forEach(c -> text.append("    CHANGED since it was applied: ")
                    .append(c.source()).append(" has checksum ").append(c.checksum()).append(", the history has ").append(c.historyChecksum())
                    .append('\n'));
            stepCounts(text, entry.stepCounts());
            if (entry.message() != null && !entry.message().isBlank()) {
                text.append("    ").append(entry.message()).append('\n');
            }
        }
        List<String> pending = status.pending();
        if (filesGiven) {
            text.append(pending.isEmpty() ? "no pending migrations among the given files" : "pending: " + String.join(", ", pending));
            if (!status.changed().isEmpty()) {
                text.append("\nchanged since applied: ").append(String.join(", ", status.changed().stream().map(StatusReport.Changed::id).toList()));
            }
        } else {
            text.append(Text.rows(status.history().size(), "migration")).append(" in the history (give rules files to list pending ones)");
        }
        return text.toString();
    }

    /** One line per step from the history's step counts, e.g. {@code step 1 dedupe ...: deleted 3, updated 1, archived 4}. */
    private static void stepCounts(StringBuilder text, String counts) {
        JsonNode steps = Json.parseOrText(counts);
        if (!steps.isArray()) {
            return;
        }
        for (JsonNode step : steps) {
            StepOutcome outcome = new StepOutcome(step.path("deleted").asLong(), step.path("updated").asLong(), step.path("archived").asLong(),
                    step.path("noop").asBoolean());
            text.append("    step ").append(step.path("step").asInt()).append(' ').append(step.path("summary").asText()).append(": ")
                    .append(outcome(outcome)).append('\n');
        }
    }
}
