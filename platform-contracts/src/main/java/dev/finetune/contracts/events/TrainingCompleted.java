package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A training job ended, keyed by its job id. On success {@code model} points at the saved model folder's
 * manifest; on failure {@code failureReason} says why. The original request travels along as lineage.
 *
 * @param metrics final figures such as {@code trainLoss}, {@code validationLoss}, {@code tokensPerSecond},
 *                {@code steps}, {@code durationSeconds}
 */
public record TrainingCompleted(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String jobId,
        JobOutcome outcome,
        String failureReason,
        TrainingRequested request,
        ArtifactRef model,
        String datasetSha256,
        Map<String, Double> metrics) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return jobId;
    }

    @Override
    public List<String> problems() {
        Problems p = Problems.ofEnvelope(schemaVersion, SCHEMA_VERSION, eventId, occurredAt)
                .name(jobId, "jobId")
                .notNull(outcome, "outcome")
                .notNull(request, "request");
        if (outcome == JobOutcome.SUCCEEDED) {
            p.notNull(model, "model");
            if (model != null) {
                p.nested("model", model.problems());
            }
        }
        if (outcome == JobOutcome.FAILED) {
            p.notBlank(failureReason, "failureReason");
        }
        if (request != null) {
            p.nested("request", request.lineageProblems());
        }
        return p.toList();
    }
}
