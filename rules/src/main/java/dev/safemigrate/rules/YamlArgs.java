package dev.safemigrate.rules;

import com.fasterxml.jackson.core.JsonToken;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.StepArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of one YAML map, read with the checks a rules file needs. Errors name the field's path
 * ({@code steps[0].dedupe.key}) and point at its value, or at the map when the field is missing.
 * A field written with no value ({@code key:} or {@code key: null}) counts as missing.
 */
final class YamlArgs implements StepArgs {
    private final Node.Mapping map;
    private final String path;

    private YamlArgs(Node.Mapping map, String path) {
        this.map = map;
        this.path = path;
    }

    /** The map {@code node}, named {@code path} in errors; a null value is an empty map. */
    static YamlArgs of(Node node, String path) {
        if (node instanceof Node.Mapping mapping) {
            return new YamlArgs(mapping, path);
        }
        if (node instanceof Node.Scalar scalar && scalar.isNull()) {
            return new YamlArgs(new Node.Mapping(Map.of(), node.mark()), path);
        }
        throw node.mark().error(path, "expected a map of fields, found " + node.describe());
    }

    @Override
    public void allowOnly(Set<String> known) {
        for (Node.Field field : map.fields().values()) {
            if (!known.contains(field.name())) {
                throw field.nameMark().error(path(field.name()),
                        "unknown field '" + field.name() + "'; allowed: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    @Override
    public String text(String field) {
        return optionalText(field).orElseThrow(() -> error(field, "missing: expected text"));
    }

    @Override
    public Optional<String> optionalText(String field) {
        return node(field).map(value -> text(value, path(field)));
    }

    @Override
    public List<String> texts(String field) {
        Optional<Node> value = node(field);
        if (value.isEmpty()) {
            return List.of();
        }
        if (value.get() instanceof Node.Sequence sequence) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < sequence.items().size(); i++) {
                texts.add(text(sequence.items().get(i), path(field) + "[" + i + "]"));
            }
            return texts;
        }
        if (value.get() instanceof Node.Scalar) {
            return List.of(text(value.get(), path(field)));
        }
        throw error(field, "expected a list of names, like [a, b], found " + value.get().describe());
    }

    @Override
    public boolean bool(String field, boolean defaultValue) {
        Optional<Node> value = node(field);
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (value.get() instanceof Node.Scalar scalar && scalar.token().isBoolean()) {
            return scalar.token() == JsonToken.VALUE_TRUE;
        }
        throw error(field, "expected true or false, found " + value.get().describe());
    }

    @Override
    public Optional<StepArgs> object(String field) {
        return map(field).map(StepArgs.class::cast);
    }

    /** {@link #object} with this class's extra accessors. */
    Optional<YamlArgs> map(String field) {
        return node(field).map(value -> of(value, path(field)));
    }

    @Override
    public List<StepArgs> objects(String field) {
        return List.copyOf(maps(field));
    }

    /** {@link #objects} with this class's extra accessors. */
    List<YamlArgs> maps(String field) {
        List<Node> items = list(field);
        List<YamlArgs> maps = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path(field) + "[" + i + "]";
            if (!(items.get(i) instanceof Node.Mapping mapping)) {
                throw items.get(i).mark().error(itemPath, "expected a map of fields, found " + items.get(i).describe());
            }
            maps.add(new YamlArgs(mapping, itemPath));
        }
        return maps;
    }

    /** The items of a list field; empty when missing. */
    List<Node> list(String field) {
        Optional<Node> value = node(field);
        if (value.isEmpty()) {
            return List.of();
        }
        if (value.get() instanceof Node.Sequence sequence) {
            return sequence.items();
        }
        throw error(field, "expected a list, found " + value.get().describe());
    }

    OptionalDouble number(String field) {
        Optional<Node> value = node(field);
        if (value.isEmpty()) {
            return OptionalDouble.empty();
        }
        if (value.get() instanceof Node.Scalar scalar && scalar.number() != null) {
            return OptionalDouble.of(scalar.number().doubleValue());
        }
        throw error(field, "expected a number, found " + value.get().describe());
    }

    /** A whole number; {@code expected} says what else the field could have held, for the error. */
    OptionalLong wholeNumber(String field, String expected) {
        Optional<Node> value = node(field);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        // Jackson gives Integer or Long for whole numbers that fit in a long (BigInteger beyond).
        if (value.get() instanceof Node.Scalar scalar && (scalar.number() instanceof Integer || scalar.number() instanceof Long)) {
            return OptionalLong.of(scalar.number().longValue());
        }
        throw error(field, "expected " + expected + ", found " + value.get().describe());
    }

    /** The field's value, unless it is missing or written with no value. */
    Optional<Node> node(String field) {
        Node.Field entry = map.fields().get(field);
        if (entry == null || entry.value() instanceof Node.Scalar scalar && scalar.isNull()) {
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    /** Where this map starts, e.g. to locate a check declared by it. */
    Mark mark() {
        return map.mark();
    }

    private String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    @Override
    public SafeMigrateException error(String field, String message) {
        Node.Field entry = map.fields().get(field);
        Mark at = entry == null ? map.mark()
                : entry.value() instanceof Node.Scalar scalar && scalar.isNull() ? entry.nameMark()
                : entry.value().mark();
        return at.error(path(field), message);
    }

    private static String text(Node value, String path) {
        if (value instanceof Node.Scalar scalar && !scalar.isNull()) {
            return scalar.text();
        }
        throw value.mark().error(path, "expected text, found " + value.describe());
    }
}
