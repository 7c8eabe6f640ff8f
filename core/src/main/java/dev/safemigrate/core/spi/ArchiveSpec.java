package dev.safemigrate.core.spi;

import java.util.List;

/**
 * An archive table a step needs: a type-preserving copy of {@code source}'s columns plus
 * {@code extraColumns} (each {@code source column -> archive column}, same type), created before any
 * data changes. {@code role} tells the step's archives apart; {@code keep} false drops the archive
 * once the migration is applied (it is still written, so a failed run can be reversed).
 */
public record ArchiveSpec(String role, ResolvedTable source, List<ExtraColumn> extraColumns, boolean keep) {
    public record ExtraColumn(String sourceColumn, String archiveColumn) {
    }
}
