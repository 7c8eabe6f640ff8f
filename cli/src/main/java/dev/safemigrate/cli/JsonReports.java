package dev.safemigrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.StatusReport;
import dev.safemigrate.core.VerifyReport;
import dev.safemigrate.core.spi.CheckResult;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepOutcome;
import java.util.Locale;

/** The library's reports as the JSON of {@code --json}: snake_case, stable, documented in JSON.md. */
final class JsonReports {
    private JsonReports() {
    }

    static ObjectNode plan(MigrationPlan plan) {
        ObjectNode document = Json.object();
        ArrayNode migrations = document.putArray("migrations");
        for (MigrationPlan.Item item : plan.migrations()) {
            ObjectNode migration = migrations.addObject().put("id", item.id()).put("description", item.description())
                    .put("status", item.status()).put("strategy", item.strategy());
            migration.set("warnings", Json.strings(item.warnings()));
            migration.set("other_strategies", Json.strings(item.otherStrategies()));
            migration.set("strategy_plan", Json.strings(item.strategyPlan()));
            if (!item.statements().isEmpty()) {
                migration.set("statements", Json.strings(item.statements()));
            }
            ArrayNode steps = migration.putArray("steps");
            for (MigrationPlan.StepPlan step : item.steps()) {
                StepEstimate estimate = step.estimate();
                ObjectNode node = steps.addObject().put("number", step.number()).put("type", step.type()).put("summary", step.summary())
                        .put("kind", step.kind().name().toLowerCase(Locale.ROOT)).put("noop", estimate.noop())
                        .put("rows_to_delete", estimate.rowsToDelete()).put("rows_to_update", estimate.rowsToUpdate())
                        .put("rows_to_archive", estimate.rowsToArchive()).put("table_rows", estimate.tableRows());
                node.set("sample_keys", Json.strings(estimate.sampleKeys()));
                node.set("notes", Json.strings(estimate.notes()));
            }
        }
        return document;
    }

    static ObjectNode migrate(MigrationReport report) {
        ObjectNode document = Json.object();
        document.set("recovered", Json.strings(report.recovered()));
        ArrayNode migrations = document.putArray("migrations");
        for (MigrationReport.Result result : report.migrations()) {
            ObjectNode migration = migrations.addObject().put("id", result.id()).put("outcome", result.outcome())
                    .put("strategy", result.strategy()).put("elapsed_ms", result.elapsed().toMillis());
            migration.set("warnings", Json.strings(result.warnings()));
            result.online().ifPresent(online -> migration.putObject("online").put("chunks", online.chunks()).put("lock_retries", online.retries())
                    .put("longest_lock_ms", online.longestLock().toMillis()));
            ArrayNode steps = migration.putArray("steps");
            for (MigrationReport.StepResult step : result.steps()) {
                StepOutcome outcome = step.outcome();
                steps.addObject().put("number", step.number()).put("summary", step.summary()).put("noop", outcome.noop())
                        .put("deleted", outcome.deleted()).put("updated", outcome.updated()).put("archived", outcome.archived());
            }
        }
        return document;
    }

    static ObjectNode verify(VerifyReport report) {
        ObjectNode document = Json.object().put("holds", report.holds()).put("violations", report.violations().size());
        ArrayNode checks = document.putArray("checks");
        for (VerifyReport.Check check : report.checks()) {
            CheckResult result = check.result();
            ObjectNode node = checks.addObject().put("migration_id", check.migrationId()).put("check", result.check())
                    .put("holds", result.holds()).put("count", result.count()).put("detail", result.detail());
            node.set("samples", Json.strings(result.samples()));
        }
        return document;
    }

    static ObjectNode status(StatusReport status) {
        ObjectNode document = Json.object();
        ArrayNode history = document.putArray("history");
        for (HistoryEntry entry : status.history()) {
            ObjectNode node = history.addObject().put("id", entry.id()).put("status", entry.status().value()).put("phase", entry.phase())
                    .put("description", entry.description()).put("checksum", entry.checksum()).put("dialect", entry.dialect())
                    .put("strategy", entry.strategy()).put("started_at", Json.time(entry.startedAt()))
                    .put("finished_at", Json.time(entry.finishedAt())).put("message", entry.message());
            node.set("step_counts", stepCounts(entry.stepCounts()));
        }
        document.set("pending", Json.strings(status.pending()));
        ArrayNode changed = document.putArray("changed");
        for (StatusReport.Changed edit : status.changed()) {
            changed.addObject().put("id", edit.id()).put("source", edit.source()).put("checksum", edit.checksum())
                    .put("history_checksum", edit.historyChecksum());
        }
        return document;
    }

    /** The history's per-step counts with our own field names (an empty list when there are none). */
    private static ArrayNode stepCounts(String stored) {
        ArrayNode steps = Json.MAPPER.createArrayNode();
        JsonNode parsed = Json.parseOrText(stored);
        if (parsed.isArray()) {
            for (JsonNode step : parsed) {
                steps.addObject().put("number", step.path("step").asInt()).put("summary", step.path("summary").asText())
                        .put("noop", step.path("noop").asBoolean()).put("deleted", step.path("deleted").asLong())
                        .put("updated", step.path("updated").asLong()).put("archived", step.path("archived").asLong());
            }
        }
        return steps;
    }
}
