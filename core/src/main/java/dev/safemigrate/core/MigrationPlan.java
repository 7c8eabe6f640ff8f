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
     * {@code otherStrategies} why each other strategy would not ("name: reason"), and {@code strategyPlan} what the
     * chosen strategy says it will do (online mode: its phases and chunks). {@code statements}: only from
     * {@link SafeMigrate#planWithStatements}, every statement {@code migrate} would run for it, in order, formatted
     * for review: each entry one statement ending in {@code ;} ({@code BEGIN;} and {@code COMMIT;} mark its
     * transactions) or a {@code --} comment (bookkeeping rows, statements outside a transaction).
     */
    public record Item(String id, String description, String status, String strategy, List<StepPlan> steps, List<String> warnings,
                       List<String> otherStrategies, List<String> statements, List<String> strategyPlan) {
        public Item {
            steps = List.copyOf(steps);
            warnings = List.copyOf(warnings);
            otherStrategies = List.copyOf(otherStrategies);
            statements = List.copyOf(statements);
            strategyPlan = List.copyOf(strategyPlan);
        }

        /** An item without statements or strategy plan (a plan made without them). */
        public Item(String id, String description, String status, String strategy, List<StepPlan> steps, List<String> warnings,
                    List<String> otherStrategies) {
            this(id, description, status, strategy, steps, warnings, otherStrategies, List.of(), List.of());
        }
    }

    /** One step, numbered from 1 in execution order (DML before DDL). */
    public record StepPlan(int number, String type, String summary, StepKind kind, StepEstimate estimate) {
    }
}
