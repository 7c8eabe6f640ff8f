package dev.safemigrate.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads one YAML document into {@link Node}s with Jackson's streaming parser, keeping every node's location. */
final class YamlTree {
    /**
     * Jackson applies these two of its limits to YAML (not the string and document lengths, so {@link RulesText} and
     * {@link #text} do). Built from {@code new YAMLFactory()}: {@code YAMLFactory.builder()} has other defaults (an
     * empty value would be "" instead of null).
     */
    private static final YAMLFactory FACTORY = new YAMLFactory().rebuild().streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(Limits.NESTING_DEPTH).maxTokenCount(Limits.TOKENS).build()).build();

    private YamlTree() {
    }

    static Node read(String yaml, String source) {
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            try {
                return document(parser, source);
            } catch (JsonProcessingException e) {
                throw malformed(e, parser, source);
            }
        } catch (IOException e) {
            // Only a String is read, so no real I/O can fail.
            throw new UncheckedIOException(e);
        }
    }

    private static Node document(YAMLParser parser, String source) throws IOException {
        if (parser.nextToken() == null) {
            throw new Mark(source, 1, 1).error("", "the file is empty: expected a migration with id and steps");
        }
        Node root = node(parser, source);
        if (parser.nextToken() != null) {
            throw mark(parser, source).error("", "a second YAML document: a rules file holds exactly one migration");
        }
        return root;
    }

    private static Node node(YAMLParser parser, String source) throws IOException {
        Mark mark = mark(parser, source);
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Node.Field> fields = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                Mark nameMark = mark(parser, source);
                String name = text(parser, nameMark, "key");
                if (fields.containsKey(name)) {
                    throw nameMark.error("", "duplicate key '" + name + "'");
                }
                parser.nextToken();
                fields.put(name, new Node.Field(name, nameMark, node(parser, source)));
            }
            return new Node.Mapping(fields, mark);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(node(parser, source));
            }
            return new Node.Sequence(items, mark);
        }
        if (parser.isCurrentAlias()) {
            // Jackson hands an alias over as a string holding its name; taking that as the value would be wrong.
            throw mark.error("", "YAML aliases (*" + parser.getText() + ") are not supported: write the value out");
        }
        return new Node.Scalar(token, text(parser, mark, "value"), token.isNumeric() ? parser.getNumberValue() : null, mark);
    }

    /** The current key or scalar, refused when too long or holding a control character written as an escape. */
    private static String text(YAMLParser parser, Mark mark, String what) throws IOException {
        String text = parser.getText();
        if (text.length() > Limits.VALUE_CHARS) {
            throw mark.error("", "a " + what + " of " + text.length() + " characters; a rules file allows at most " + Limits.VALUE_CHARS);
        }
        int control = RulesText.firstControl(text);
        if (control >= 0) {
            throw mark.error("", "the " + what + " holds " + RulesText.describe(control) + ", which is not allowed in a rules file");
        }
        return text;
    }

    private static Mark mark(JsonParser parser, String source) {
        return mark(parser.currentTokenLocation(), source);
    }

    private static Mark mark(JsonLocation at, String source) {
        return new Mark(source, at.getLineNr(), at.getColumnNr());
    }

    /**
     * Reports SnakeYAML's problem at its own mark (SnakeYAML counts from 0): Jackson's location is that of
     * the last good token, which can be lines before the real fault (a tab, an unclosed bracket).
     */
    private static SafeMigrateException malformed(JsonProcessingException e, JsonParser parser, String source) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            org.yaml.snakeyaml.error.Mark problem = yaml.getProblemMark();
            org.yaml.snakeyaml.error.Mark context = yaml.getContextMark();
            String during = yaml.getContext() == null || context == null ? ""
                    : " (" + yaml.getContext() + " at line " + (context.getLine() + 1) + ", column " + (context.getColumn() + 1) + ")";
            return malformed(new Mark(source, problem.getLine() + 1, problem.getColumn() + 1), yaml.getProblem() + during, e);
        }
        // Jackson's own limits (nesting depth, token count) carry no location: the last token read is the best one.
        Mark at = e.getLocation() == null ? mark(parser, source) : mark(e.getLocation(), source);
        if (e instanceof StreamConstraintsException) {
            // Its message ends by naming its own API, which means nothing to the author of a rules file.
            return invalid(at, "too large for a rules file: " + e.getOriginalMessage().replaceFirst(", from `[^`]*`\\)", ")"), e);
        }
        return malformed(at, e.getOriginalMessage(), e);
    }

    private static SafeMigrateException malformed(Mark mark, String problem, Exception cause) {
        return invalid(mark, "malformed YAML: " + problem, cause);
    }

    private static SafeMigrateException invalid(Mark mark, String message, Exception cause) {
        return new SafeMigrateException(ExitCode.INVALID, mark + ": " + message, cause);
    }
}
