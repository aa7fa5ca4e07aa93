package dev.finetune.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExactMatchTest {

    @Test
    void countsMatchesAfterStripping() {
        assertThat(ExactMatch.score(List.of(" Paris\n", "london", "Rome"), List.of("Paris", "London", "Rome ")))
                .isEqualTo(2.0 / 3);
        assertThat(ExactMatch.scoreMulti(List.of("london"), List.of(List.of("London"), List.of("london"))))
                .isEqualTo(1.0);
    }

    @Test
    void refusesMismatchedLengths() {
        assertThatThrownBy(() -> ExactMatch.score(List.of("a"), List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference set 0 has 2 entries but there are 1 hypotheses");
    }
}
