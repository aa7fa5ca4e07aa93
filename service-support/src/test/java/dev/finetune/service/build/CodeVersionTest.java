package dev.finetune.service.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodeVersionTest {

    @Test
    void theBuildsOwnVersionNamesItsCommit() {
        // built from a clone: the commit is known; from a source archive: said so, never left empty
        assertThat(CodeVersion.current()).matches("0\\.1\\.0-SNAPSHOT\\+([0-9a-f]{7,}|unknown-commit)(\\.dirty)?");
    }

    @Test
    void uncommittedChangesAndAMissingCommitAreSaid() {
        assertThat(CodeVersion.of("1.2.0", "1a2b3c4", false)).isEqualTo("1.2.0+1a2b3c4");
        assertThat(CodeVersion.of("1.2.0", "1a2b3c4", true)).isEqualTo("1.2.0+1a2b3c4.dirty");
        assertThat(CodeVersion.of("1.2.0", null, false)).isEqualTo("1.2.0+unknown-commit");
    }
}
