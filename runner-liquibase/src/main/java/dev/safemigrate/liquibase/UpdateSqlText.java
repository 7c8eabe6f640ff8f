package dev.safemigrate.liquibase;

import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What Liquibase's {@code update-sql} prints for a rules file, as SQL comments: the plan (strategy, and
 * per step what it would delete, update and archive), then every statement of {@code plan --sql}. They stay
 * comments: run by hand, outside safemigrate, their checks and guards would count without stopping anything.
 */
final class UpdateSqlText {
    private UpdateSqlText() {
    }

    static List<String> lines(MigrationPlan plan) {
        List<String> lines = new ArrayList<>();
        for (MigrationPlan.Item item : plan.migrations()) {
            if (!"pending".equals(item.status())) {
                lines.add("safemigrate " + item.id() + ": already " + item.status() + ", nothing to do");
                continue;
            }
            lines.add("safemigrate " + item.id() + ": would run as " + item.strategy());
            for (MigrationPlan.StepPlan step : item.steps()) {
                lines.add("  step " + step.number() + "/" + item.steps().size() + " [" + step.kind() + "] " + step.summary() + estimate(step));
            }
            item.warnings().forEach(w -> lines.add("  warning: " + w));
            for (String paragraph : item.statements()) {
                lines.add("");
                paragraph.lines().map(line -> line.startsWith("-- ") ? line.substring(3) : line).forEach(lines::add);
            }
        }
        return lines;
    }

    private static String estimate(MigrationPlan.StepPlan step) {
        StepEstimate estimate = step.estimate();
        if (estimate.noop()) {
            return ": nothing to do";
        }
        if (step.kind() != StepKind.DML) {
            return "";
        }
        return ": delete " + estimate.rowsToDelete() + " of " + estimate.tableRows() + " rows, update " + estimate.rowsToUpdate() + ", archive "
                + estimate.rowsToArchive();
    }
}
