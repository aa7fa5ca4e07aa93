package dev.finetune.evaluator.domain;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of one evaluation, stored as {@code evaluations/<jobId>/report.json}.
 *
 * @param confusionMatrix true label -> predicted label -> count; absent for non-classification tasks
 */
public record EvaluationReport(
        String jobId,
        ArtifactRef model,
        DatasetRef dataset,
        String task,
        int testExamples,
        Map<String, Double> metrics,
        Map<String, Map<String, Long>> confusionMatrix,
        List<Prediction> samplePredictions,
        Instant createdAt) {

    /** One test example next to what the model predicted for it. */
    public record Prediction(String text, String reference, String predicted) {
    }
}
