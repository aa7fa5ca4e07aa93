package dev.finetune.evaluator.domain;

import dev.finetune.metrics.ClassMetrics;
import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of one evaluation, stored as {@code evaluations/<jobId>/report.json}.
 *
 * @param confusionMatrix true label -> predicted label -> count; absent for non-classification tasks
 * @param perClass        precision, recall, F1 and support of each label (classification only)
 * @param worstErrors     misclassified test examples, the most confidently wrong first
 * @param unsupported     generated answers with content their prompt does not support, the worst first (tasks
 *                        with answers to write); empty otherwise
 */
public record EvaluationReport(
        String jobId,
        ArtifactRef model,
        DatasetRef dataset,
        String task,
        int testExamples,
        Map<String, Double> metrics,
        Map<String, Map<String, Long>> confusionMatrix,
        List<ClassMetrics> perClass,
        List<Prediction> samplePredictions,
        List<Prediction> worstErrors,
        List<Unsupported> unsupported,
        Instant createdAt) {

    /** A generated answer and the items in it (numbers, names, content words) its prompt does not contain. */
    public record Unsupported(String prompt, String answer, List<String> items, double rate) {
    }

    /**
     * One test example next to what the model predicted for it.
     *
     * @param confidence the model's probability of its prediction among the labels (softmax over their
     *                   log-probabilities); null where it was not computed
     */
    public record Prediction(String text, String reference, String predicted, Double confidence) {

        public boolean correct() {
            return reference.equals(predicted);
        }
    }
}
