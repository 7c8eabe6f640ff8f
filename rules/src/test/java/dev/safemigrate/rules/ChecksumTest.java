package dev.safemigrate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.Extensions;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    private static final Extensions EXTENSIONS = Extensions.load();
    private static final String BLOCK = """
            id: m1
            description: Dedupe t
            steps:
              - dedupe:
                  table: t
                  key: [a, b]
                  archive: true
            preconditions:
              - sql: SELECT 1
                expect: 1
            """;

    private static String checksum(String yaml) {
        return Rules.parse(EXTENSIONS, yaml, "a.yaml").checksum();
    }

    @Test
    void layoutKeyOrderQuotingAndCommentsDoNotChangeIt() {
        String reformatted = """
                # the same migration, written differently
                preconditions: [{expect: 1, sql: 'SELECT 1'}]
                steps:
                - dedupe: {archive: true, key: ["a", b], table: t}   # flow style
                description: "Dedupe t"
                id: m1
                """;

        assertThat(checksum(reformatted)).isEqualTo(checksum(BLOCK));
        assertThat(checksum(BLOCK.replace("Dedupe t", "Dedupe t   "))).isEqualTo(checksum(BLOCK));
    }

    @Test
    void anyChangedValueChangesIt() {
        String original = checksum(BLOCK);

        assertThat(checksum(BLOCK.replace("[a, b]", "[b, a]"))).isNotEqualTo(original);
        assertThat(checksum(BLOCK.replace("Dedupe t", "Dedupe T"))).isNotEqualTo(original);
        assertThat(checksum(BLOCK.replace("expect: 1", "expect: 2"))).isNotEqualTo(original);
        assertThat(checksum(BLOCK.replace("archive: true", "archive: false"))).isNotEqualTo(original);
        assertThat(checksum(BLOCK + "postconditions: []\n")).isNotEqualTo(original);
    }

    @Test
    void itIsTheSameForTheSameContentFromAnotherFile() {
        assertThat(Rules.parse(EXTENSIONS, BLOCK, "b.yaml").checksum()).isEqualTo(checksum(BLOCK));
    }
}
