package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A trained model was scored on its dataset's test split, keyed by the job id that trained it.
 *
 * @param metrics for example {@code loss}, {@code perplexity}, and {@code accuracy} for classification
 * @param report  the JSON report in the {@code evaluations} bucket
 */
public record EvaluationCompleted(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String jobId,
        JobOutcome outcome,
        String failureReason,
        ArtifactRef model,
        DatasetRef dataset,
        int testExamples,
        Map<String, Double> metrics,
        ArtifactRef report) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return jobId;
    }

    @Override
    public List<String> problems() {
        Problems p = Problems.ofEnvelope(schemaVersion, SCHEMA_VERSION, eventId, occurredAt)
                .name(jobId, "jobId")
                .notNull(outcome, "outcome");
        if (outcome == JobOutcome.SUCCEEDED) {
            p.notNull(metrics, "metrics").notNull(report, "report");
            if (report != null) {
                p.nested("report", report.problems());
            }
        }
        if (outcome == JobOutcome.FAILED) {
            p.notBlank(failureReason, "failureReason");
        }
        return p.toList();
    }
}
