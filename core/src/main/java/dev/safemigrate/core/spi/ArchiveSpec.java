package dev.safemigrate.core.spi;

import java.util.List;

/**
 * An archive table a step needs: a type-preserving copy of {@code source}'s columns plus
 * {@code extraColumns} (each {@code source column -> archive column}, same type), created before any
 * data changes. {@code role} tells the step's archives apart; {@code keep} false drops the archive
 * once the migration is applied (it is still written, so a failed run can be reversed). Rows are looked up
 * by the source's primary key, and by each of {@code lookupColumns} too (each gets an index of its own).
 */
public record ArchiveSpec(String role, ResolvedTable source, List<ExtraColumn> extraColumns, boolean keep, List<String> lookupColumns) {
    public ArchiveSpec {
        extraColumns = List.copyOf(extraColumns);
        lookupColumns = List.copyOf(lookupColumns);
    }

    /** An archive whose rows are looked up by the source's primary key only. */
    public ArchiveSpec(String role, ResolvedTable source, List<ExtraColumn> extraColumns, boolean keep) {
        this(role, source, extraColumns, keep, List.of());
    }

    public record ExtraColumn(String sourceColumn, String archiveColumn) {
    }
}
