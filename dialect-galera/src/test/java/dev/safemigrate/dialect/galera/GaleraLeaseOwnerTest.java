package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The lease's owner fits its VARCHAR(200) column whatever the host names, keeping the part that tells two runs apart. Database-free. */
class GaleraLeaseOwnerTest {
    @Test
    void hostNamesOfTheLongestAllowedLengthAreCutAndTheRunIsKept() {
        String longest = "h".repeat(63) + ("." + "d".repeat(63)) + ("." + "e".repeat(63)) + ("." + "f".repeat(61));
        assertThat(longest).hasSize(253);

        String owner = GaleraLease.owner("1a2b3c4d", 4_194_304, longest, Long.MAX_VALUE, longest + ":65535");

        assertThat(owner).hasSizeLessThanOrEqualTo(200).startsWith("run 1a2b3c4d, process 4194304 on hhh")
                .contains(", connection " + Long.MAX_VALUE + " on node hhh").contains("...");
        assertThat(owner).matches(".*, connection (\\d+) on node .*");
    }

    @Test
    void shortHostNamesAreKeptWhole() {
        assertThat(GaleraLease.owner("1a2b3c4d", 42, "ci-runner", 7, "node1:3316"))
                .isEqualTo("run 1a2b3c4d, process 42 on ci-runner, connection 7 on node node1:3316");
    }
}
