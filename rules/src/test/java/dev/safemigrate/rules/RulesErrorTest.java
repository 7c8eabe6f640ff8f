package dev.safemigrate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error names file:line:column, the field's path, and what was expected; exit code 2. */
class RulesErrorTest {
    private static final Extensions EXTENSIONS = TestSteps.extensions();
    private static final String STEPS = "steps:\n  - dedupe: {table: t, key: a}\n";

    /** The message of the error that parsing {@code yaml} as {@code migrations/a.yaml} gives. */
    static String error(String yaml) {
        SafeMigrateException e = catchThrowableOfType(SafeMigrateException.class,
                () -> Rules.parse(EXTENSIONS, yaml, "migrations/a.yaml"));
        assertThat(e).as("an error for:%n%s", yaml).isNotNull();
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID);
        return e.getMessage();
    }

    private static String dedupe(String fields) {
        return "id: m1\nsteps:\n  - dedupe:\n      table: t\n" + fields;
    }

    @Test
    void missingIdIsReportedAtTheStartOfTheDocument() {
        assertThat(error("description: x\n" + STEPS)).isEqualTo("migrations/a.yaml:1:1: id: missing: expected text");
        assertThat(error("# leading comment\n\ndescription: x\n" + STEPS)).startsWith("migrations/a.yaml:3:1: id: missing");
    }

    @Test
    void invalidIdIsReportedAtItsValue() {
        assertThat(error("id: 'a b'\n" + STEPS)).isEqualTo(
                "migrations/a.yaml:1:5: id: invalid id 'a b': expected 1 to 128 of A-Z a-z 0-9 _ . -");
    }

    @Test
    void unknownTopLevelKeyListsTheAllowedOnes() {
        assertThat(error("id: m1\n" + STEPS + "postcondition:\n  - sql: SELECT 1\n")).isEqualTo(
                "migrations/a.yaml:4:1: postcondition: unknown field 'postcondition'; "
                        + "allowed: allow_triggers, description, guards, id, mode, online, postconditions, preconditions, steps");
    }

    @Test
    void unknownStepFieldListsTheAllowedOnes() {
        assertThat(error(dedupe("      key: [a]\n      nulz: equal\n"))).isEqualTo(
                "migrations/a.yaml:6:7: steps[0].dedupe.nulz: unknown field 'nulz'; "
                        + "allowed: archive, keep, key, nulls, repoint, strategy, table");
    }

    @Test
    void unknownStepTypeListsTheKnownOnes() {
        assertThat(error("id: m1\nsteps:\n  - dedupe: {table: t, key: a}\n  - dedup: {table: t}\n"))
                .startsWith("migrations/a.yaml:4:5: steps[1]: unknown step type 'dedup'; known types: add_unique, dedupe, ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            - dedupe                                    | 3:5: steps[0]: expected a map with exactly one key, the step type (one of: add_unique, dedupe,
            - {dedupe: {table: t}, add_unique: {}}       | 3:5: steps[0]: expected a map with exactly one key
            - dedupe: [a]                                | 3:13: steps[0].dedupe: expected a map of fields, found a list
            - dedupe:                                    | 3:12: steps[0].dedupe.table: missing: expected text
            """)
    void aStepIsAMapWithExactlyOneKey(String step, String expected) {
        assertThat(error("id: m1\nsteps:\n  " + step + "\n")).startsWith("migrations/a.yaml:" + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            id: m1                  | 1:1: steps: expected a non-empty list of steps, like '- dedupe: {...}'
            id: m1\\nsteps: []      | 2:8: steps: expected a non-empty list of steps
            id: m1\\nsteps: dedupe  | 2:8: steps: expected a list, found 'dedupe'
            """)
    void stepsAreARequiredNonEmptyList(String yaml, String expected) {
        assertThat(error(yaml.replace("\\n", "\n"))).startsWith("migrations/a.yaml:" + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            'table: t; DROP TABLE x'                  | 4:14: steps[0].dedupe.table: invalid table name 't; DROP TABLE x': names may contain only
            'table: ''"t"'''                          | 4:14: steps[0].dedupe.table: invalid table name '"t"'
            'table: [t]'                              | 4:14: steps[0].dedupe.table: expected text, found a list
            'table: t\\n      key: [a, ''b`c'']'      | 5:12: steps[0].dedupe.key: invalid column name 'b`c'
            'table: t\\n      key: {a: 1}'            | 5:12: steps[0].dedupe.key: expected a list of names, like [a, b], found a map
            'table: t\\n      key: [a, [b]]'          | 5:16: steps[0].dedupe.key[1]: expected text, found a list
            'table: t\\n      key:'                   | 5:7: steps[0].dedupe.key: dedupe of t: key must name at least one column
            'table: t\\n      key: a\\n      keep: id'                  | 6:13: steps[0].dedupe.keep: expected a map of fields, found 'id'
            'table: t\\n      key: a\\n      keep: {order_by: id; x}'   | 6:24: steps[0].dedupe.keep.order_by: invalid order 'id; x': expected a column name, optionally followed by ASC or DESC
            'table: t\\n      key: a\\n      keep: {order_by: [id DESC x]}' | 6:24: steps[0].dedupe.keep.order_by: invalid order 'id DESC x'
            'table: t\\n      key: a\\n      nulls: maybe'              | 6:14: steps[0].dedupe.nulls: expected distinct or equal, not 'maybe'
            'table: t\\n      key: a\\n      strategy: swap'            | 6:17: steps[0].dedupe.strategy: expected shadow_swap (or default), not 'swap'
            'table: t\\n      key: a\\n      archive: maybe'            | 6:16: steps[0].dedupe.archive: expected true or false, found 'maybe'
            'table: t\\n      key: a\\n      repoint: {table: c}'       | 6:16: steps[0].dedupe.repoint: expected a list, found a map
            'table: t\\n      key: a\\n      repoint: [c]'              | 6:17: steps[0].dedupe.repoint[0]: expected a map of fields, found 'c'
            'table: t\\n      key: a\\n      repoint: [{table: ''c d'', column: x}]'           | 6:25: steps[0].dedupe.repoint[0].table: invalid table name 'c d'
            'table: t\\n      key: a\\n      repoint: [{table: c, column: ''x"''}]'            | 6:36: steps[0].dedupe.repoint[0].column: invalid column name 'x"'
            'table: t\\n      key: a\\n      repoint: [{table: c, column: x, on_conflict: no}]' | 6:52: steps[0].dedupe.repoint[0].on_conflict: expected fail or delete, not 'no'
            """)
    void stepFieldsAreCheckedWhereTheyAreWritten(String fields, String expected) {
        String yaml = "id: m1\nsteps:\n  - dedupe:\n      " + fields.replace("\\n", "\n") + "\n";
        assertThat(error(yaml)).startsWith("migrations/a.yaml:" + expected);
    }

    @Test
    void addUniqueNamesAreValidated() {
        // Core's BuiltInSteps reports a bad name at "columns" (it validates both in one constructor call).
        assertThat(error("id: m1\nsteps:\n  - add_unique: {table: t, name: 'uq; DROP TABLE t', columns: [a]}\n"))
                .startsWith("migrations/a.yaml:3:").contains(": steps[0].add_unique.")
                .contains("invalid constraint name 'uq; DROP TABLE t'");
        assertThat(error("id: m1\nsteps:\n  - add_unique: {table: t, name: uq, columns: [a], nulls: x}\n"))
                .startsWith("migrations/a.yaml:3:59: steps[0].add_unique.nulls: expected distinct or equal, not 'x'");
    }

    @Test
    void anErrorAStepTypeDidNotLocateIsPlacedAtTheStep() {
        assertThat(error("id: m1\nsteps:\n  - unlocated: {}\n"))
                .isEqualTo("migrations/a.yaml:3:5: steps[0].unlocated: this step type never works");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            guards: {max_delete_fraction: 1.5}     | 1:31: guards.max_delete_fraction: max_delete_fraction must be between 0 and 1, not 1.5
            guards: {max_delete_fraction: half}    | 1:31: guards.max_delete_fraction: expected a number, found 'half'
            guards: {max_delete: 0.2}              | 1:10: guards.max_delete: unknown field 'max_delete'; allowed: max_delete_fraction
            guards: 0.5                            | 1:9: guards: expected a map of fields, found '0.5'
            """)
    void guardsAreChecked(String guards, String expected) {
        assertThat(error(guards + "\nid: m1\n" + STEPS)).startsWith("migrations/a.yaml:" + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            - {expect: 0}                            | 5:5: preconditions[0].sql: missing: expected text
            - {sql: DELETE FROM t, expect: 0}        | 5:11: preconditions[0].sql: a check must be a single SELECT
            - {sql: SELECT 1; DROP TABLE t, expect: 0} | 5:11: preconditions[0].sql: a check must be a single SELECT
            - {sql: SELECT * INTO copy_of_t FROM t, expect: 0} | 5:11: preconditions[0].sql: refused at character 10 ('INTO'): a check may not contain INTO
            - {sql: SELECT 1 FROM t FOR UPDATE, expect: 0} | 5:11: preconditions[0].sql: refused at character 17 ('FOR UPDATE'): a check may not lock rows
            - {sql: SELECT /*! 1 */ 2, expect: 0}    | 5:11: preconditions[0].sql: refused at character 8 ('/*! '): MySQL runs the text of /*! ... */ comments
            - {sql: SELECT 1}                        | 5:5: preconditions[0].expect: missing: expected a whole number, or {min: N} / {max: N} / {min: N, max: N}
            - {sql: SELECT 1, expect: none}          | 5:29: preconditions[0].expect: expected a whole number, or {min: N} / {max: N} / {min: N, max: N}, found 'none'
            - {sql: SELECT 1, expect: 1.5}           | 5:29: preconditions[0].expect: expected a whole number, or
            - {sql: SELECT 1, expect: 99999999999999999999} | 5:29: preconditions[0].expect: expected a whole number, or
            - {sql: SELECT 1, expect: {}}            | 5:29: preconditions[0].expect: expected a whole number, or
            - {sql: SELECT 1, expect: {min: 2, max: 1}} | 5:29: preconditions[0].expect: min 2 is greater than max 1
            - {sql: SELECT 1, expect: {min: x}}      | 5:35: preconditions[0].expect.min: expected a whole number, found 'x'
            - {sql: SELECT 1, expect: {most: 1}}     | 5:30: preconditions[0].expect.most: unknown field 'most'; allowed: max, min
            - {sql: SELECT 1, expect: 0, on: x}      | 5:32: preconditions[0].on: unknown field 'on'; allowed: expect, sql
            - SELECT 1                               | 5:5: preconditions[0]: expected a map of fields, found 'SELECT 1'
            """)
    void checksAreChecked(String check, String expected) {
        assertThat(error("id: m1\n" + STEPS + "preconditions:\n  " + check + "\n"))
                .startsWith("migrations/a.yaml:" + expected);
    }

    @Test
    void postconditionsMustBeAList() {
        assertThat(error("id: m1\n" + STEPS + "postconditions: {sql: SELECT 1}\n"))
                .isEqualTo("migrations/a.yaml:4:17: postconditions: expected a list, found a map");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                               | 1:1: the file is empty: expected a migration with id and steps
            '# only a comment'               | 1:1: the file is empty
            '- id: m1'                       | 1:1: expected a map with id and steps, found a list
            'just text'                      | 1:1: expected a map with id and steps, found 'just text'
            'id: m1\\n---\\nid: m2'          | 3:1: a second YAML document: a rules file holds exactly one migration
            'id: m1\\nid: m2'                | 2:1: duplicate key 'id'
            'id: m1\\nsteps:\\n\\t- dedupe'  | 3:1: malformed YAML: found character '\\t(TAB)' that cannot start any token
            'id: m1\\nsteps: [a'             | 2:10: malformed YAML: expected ',' or ']', but got <stream end> (while parsing a flow sequence at line 2, column 8)
            'id: m1\\n  x: 1'                | 2:4: malformed YAML: mapping values are not allowed here
            'd: &d x\\nid: *d'               | 2:5: YAML aliases (*d) are not supported: write the value out
            """)
    void documentLevelProblems(String yaml, String expected) {
        assertThat(error(yaml.replace("\\n", "\n").replace("\\t", "\t"))).startsWith("migrations/a.yaml:" + expected);
    }

    @Test
    void jacksonsOwnLimitsAreReportedAtTheLastTokenRead() {
        String deep = "id: m1\nsteps: " + "[".repeat(65) + "]".repeat(65) + "\n";

        assertThat(error(deep)).isEqualTo("migrations/a.yaml:2:71: too large for a rules file: "
                + "Document nesting depth (65) exceeds the maximum allowed (64)");
    }

    @Test
    void anAllowedTriggerWithoutEffectOrWithABadNameIsReportedAtTheField() {
        assertThat(error("id: m1\n" + STEPS + "allow_triggers:\n  - {name: audit_delete}\n")).isEqualTo(
                "migrations/a.yaml:5:5: allow_triggers[0].effect: allowed trigger audit_delete: effect must say what the trigger does to"
                        + " other rows; safemigrate will neither archive nor reverse it");
        assertThat(error("id: m1\n" + STEPS + "allow_triggers:\n  - {name: 'x; DROP TABLE t', effect: none}\n"))
                .startsWith("migrations/a.yaml:5:").contains("allow_triggers[0].name").contains("x; DROP TABLE t");
        assertThat(error("id: m1\n" + STEPS + "allow_triggers:\n  - {name: audit_delete, effect: none, when: always}\n"))
                .contains("allow_triggers[0].when: unknown field 'when'; allowed: effect, name, table");
    }

    @Test
    void aResequenceStartThatIsNotAWholeNumberIsReportedAtIt() {
        assertThat(error("id: m1\nsteps:\n  - resequence: {table: t, column: position, partition_by: [a], order_by: [position], start: first}\n"))
                .isEqualTo("migrations/a.yaml:3:94: steps[0].resequence.start: expected a whole number, not 'first'");
    }
}
