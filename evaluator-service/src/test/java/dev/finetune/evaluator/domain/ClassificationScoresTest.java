package dev.finetune.evaluator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationScoresTest {

    @Test
    void countsAccuracyAndTheConfusionMatrix() {
        ClassificationScores s = ClassificationScores.of(List.of("neg", "pos"),
                List.of("pos", "pos", "neg", "neg", "pos"),
                List.of("pos", "neg", "neg", "neg", "pos"));
        assertThat(s.accuracy()).isEqualTo(0.8);
        assertThat(s.confusionByLabel()).isEqualTo(Map.of(
                "neg", Map.of("neg", 2L, "pos", 0L),
                "pos", Map.of("neg", 1L, "pos", 2L)));
    }

    @Test
    void refusesLabelsOutsideTheSet() {
        assertThatThrownBy(() -> ClassificationScores.of(List.of("a"), List.of("a"), List.of("b")))
                .hasMessageContaining("'b' is not in the label set [a]");
    }

    @Test
    void noExamplesHasNoAccuracy() {
        assertThat(ClassificationScores.of(List.of("a"), List.of(), List.of()).accuracy()).isNaN();
    }
}
