package dev.safemigrate.rules;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;
import java.util.Map;

/** A YAML node that remembers where it starts; Jackson's own tree drops locations. */
sealed interface Node {
    Mark mark();

    /** What the node is, for "expected X, found Y" messages. */
    String describe();

    /** A string, number, boolean or null; {@code text} is the value as written, {@code number} set for numbers. */
    record Scalar(JsonToken token, String text, Number number, Mark mark) implements Node {
        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        @Override
        public String describe() {
            return isNull() ? "nothing" : "'" + text + "'";
        }
    }

    /** A map; {@code fields} keep the file's order. */
    record Mapping(Map<String, Field> fields, Mark mark) implements Node {
        @Override
        public String describe() {
            return "a map";
        }
    }

    /** One key of a map: its name, where the name is written, and its value. */
    record Field(String name, Mark nameMark, Node value) {
    }

    record Sequence(List<Node> items, Mark mark) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }
}
