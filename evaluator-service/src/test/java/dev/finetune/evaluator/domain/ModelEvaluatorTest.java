package dev.finetune.evaluator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.metrics.ClassificationMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelEvaluatorTest {

    @Test
    void theReportsConfusionMatrixIsKeyedByTrueThenPredictedLabel() {
        ClassificationMetrics scores = ClassificationMetrics.evaluate(
                List.of("pos", "neg", "neg", "neg", "pos"),
                List.of("pos", "pos", "neg", "neg", "pos"),
                List.of("neg", "pos"));
        assertThat(ModelEvaluator.confusionByLabel(scores)).isEqualTo(Map.of(
                "neg", Map.of("neg", 2L, "pos", 0L),
                "pos", Map.of("neg", 1L, "pos", 2L)));
    }
}
