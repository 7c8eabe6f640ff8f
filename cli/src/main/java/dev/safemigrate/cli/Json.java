package dev.safemigrate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Collection;

/** Builds and prints the JSON documents of {@code --json}; the field names are documented in JSON.md. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode strings(Collection<String> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Parses JSON text stored by the library (e.g. step counts); text that is not JSON is kept as a string. */
    static JsonNode parseOrText(String text) {
        if (text == null || text.isBlank()) {
            return MAPPER.nullNode();
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return MAPPER.getNodeFactory().textNode(text);
        }
    }

    /** With Jackson's default pretty printer (as {@code INDENT_OUTPUT} writes); writing a tree to a string cannot fail. */
    static void print(PrintWriter out, JsonNode document) {
        out.println(document.toPrettyString());
        out.flush();
    }
}
