package dev.finetune.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepetitionTest {

    @Test
    void loopsScoreHighAndPlainAnswersZero() {
        assertThat(Repetition.rate("Restart the router, then update its firmware.")).isZero();
        // 9 trigrams: the first three are new, the other six repeat them
        assertThat(Repetition.rate("the cat sat the cat sat the cat sat the cat"))
                .isEqualTo(6.0 / 9.0);
        assertThat(Repetition.rate("too short")).isZero();
        assertThat(Repetition.rate("")).isZero();
    }
}
