package dev.safemigrate.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of a rules file's content as canonical JSON: keys sorted, scalars as their text. Layout,
 * comments, quoting style and key order do not change it, so reformatting an applied file is not a
 * "changed migration"; any changed value does.
 */
final class Checksum {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checksum() {
    }

    static String of(Node root) {
        try {
            byte[] canonical = JSON.writeValueAsBytes(plain(root));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            // Plain maps, lists and strings always serialize, and every JVM has SHA-256.
            throw new IllegalStateException(e);
        }
    }

    /** The node as TreeMaps, lists, strings and nulls: what the JSON form is written from. */
    private static Object plain(Node node) {
        if (node instanceof Node.Mapping mapping) {
            Map<String, Object> map = new TreeMap<>();
            mapping.fields().forEach((name, field) -> map.put(name, plain(field.value())));
            return map;
        }
        if (node instanceof Node.Sequence sequence) {
            return sequence.items().stream().map(Checksum::plain).toList();
        }
        Node.Scalar scalar = (Node.Scalar) node;
        return scalar.isNull() ? null : scalar.text();
    }
}
