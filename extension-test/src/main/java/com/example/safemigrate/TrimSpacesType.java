package com.example.safemigrate;

import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepArgs;
import dev.safemigrate.core.spi.StepType;
import java.util.Set;

/** Reads {@code trim_spaces: {table, column}} from a rules file. */
final class TrimSpacesType implements StepType {
    @Override
    public Step create(StepArgs args) {
        args.allowOnly(Set.of("table", "column"));
        String table = args.text("table");
        String column = args.text("column");
        TableName name;
        try {
            name = TableName.parse(table);
        } catch (SafeMigrateException e) {
            throw args.error("table", e.getMessage());
        }
        try {
            return new TrimSpacesStep(name, column);
        } catch (SafeMigrateException e) {
            throw args.error("column", e.getMessage());
        }
    }
}
