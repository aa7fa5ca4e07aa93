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
 * @param codeVersion the platform build that trained it ({@code 0.1.0-SNAPSHOT+1a2b3c4}, {@code .dirty} when built
 *                    from uncommitted changes); null in events from before it was recorded
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
        Map<String, Double> metrics,
        String codeVersion) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    /** An outcome without a code version (tests, and events from before it was recorded). */
    public TrainingCompleted(int schemaVersion, UUID eventId, Instant occurredAt, String jobId, JobOutcome outcome,
                             String failureReason, TrainingRequested request, ArtifactRef model, String datasetSha256,
                             Map<String, Double> metrics) {
        this(schemaVersion, eventId, occurredAt, jobId, outcome, failureReason, request, model, datasetSha256, metrics,
                null);
    }

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
