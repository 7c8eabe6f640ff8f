package dev.safemigrate.core;

import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.StepKind;
import java.util.List;

/** What {@code migrate} would do, per migration and per step. Computed read-only. */
public record MigrationPlan(List<Item> migrations) {
    public MigrationPlan {
        migrations = List.copyOf(migrations);
    }

    /**
     * One migration: {@code status} is {@code pending} or {@code applied}; {@code strategy} how it would run,
     * {@code strategyPlan} what that strategy says it will do (online mode: its phases and chunks), and
     * {@code otherStrategies} why each other strategy would not ("name: reason").
     */
    public record Item(String id, String description, String status, String strategy, List<StepPlan> steps, List<String> warnings,
                       List<String> otherStrategies, List<String> strategyPlan) {
        public Item {
            steps = List.copyOf(steps);
            warnings = List.copyOf(warnings);
            otherStrategies = List.copyOf(otherStrategies);
            strategyPlan = List.copyOf(strategyPlan);
        }
    }

    /** One step, numbered from 1 in execution order (DML before DDL). */
    public record StepPlan(int number, String type, String summary, StepKind kind, StepEstimate estimate) {
    }
}
