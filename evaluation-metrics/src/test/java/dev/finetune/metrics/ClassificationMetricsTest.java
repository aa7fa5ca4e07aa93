package dev.finetune.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    // Hand-computed: 6 samples, labels cat/dog/bird; "bird" is never predicted.
    //   actual:    cat cat cat dog dog bird
    //   predicted: cat cat dog dog cat cat
    private static final List<String> ACTUAL = List.of("cat", "cat", "cat", "dog", "dog", "bird");
    private static final List<String> PREDICTED = List.of("cat", "cat", "dog", "dog", "cat", "cat");
    private static final List<String> LABELS = List.of("cat", "dog", "bird");

    @Test
    void handComputedReport() {
        ClassificationMetrics m = ClassificationMetrics.evaluate(PREDICTED, ACTUAL, LABELS);
        assertThat(m.accuracy()).isCloseTo(3.0 / 6, within(1e-12));
        // cat: tp 2, predicted 4, support 3 -> P 1/2, R 2/3, F1 4/7
        assertThat(m.forLabel("cat")).isEqualTo(new ClassMetrics("cat", 0.5, 2.0 / 3, 4.0 / 7, 3));
        // dog: tp 1, predicted 2, support 2 -> P 1/2, R 1/2, F1 1/2
        assertThat(m.forLabel("dog")).isEqualTo(new ClassMetrics("dog", 0.5, 0.5, 0.5, 2));
        // bird: never predicted -> P 0 (scikit-learn's zero_division), R 0, F1 0
        assertThat(m.forLabel("bird")).isEqualTo(new ClassMetrics("bird", 0.0, 0.0, 0.0, 1));
        assertThat(m.macroPrecision()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(m.macroRecall()).isCloseTo((2.0 / 3 + 0.5) / 3, within(1e-12));
        assertThat(m.macroF1()).isCloseTo((4.0 / 7 + 0.5) / 3, within(1e-12));
        assertThat(m.confusionMatrix()).isDeepEqualTo(new int[][] {{2, 1, 0}, {1, 1, 0}, {1, 0, 0}});
        assertThat(m.perClass()).extracting(ClassMetrics::label).containsExactly("cat", "dog", "bird");
    }

    @Test
    void refusesUnknownLabelsAndMismatchedLengths() {
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(List.of("cat", "fish"), List.of("cat", "dog"), LABELS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predicted label 'fish' of sample 1");
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(List.of("cat"), List.of("cow"), LABELS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actual label 'cow' of sample 0");
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(List.of("cat"), List.of("cat", "dog"), LABELS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predicted has 1 samples but actual has 2");
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(List.of("cat"), List.of("cat"), List.of("cat", "cat")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> ClassificationMetrics.evaluate(List.of(), List.of(), LABELS))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
