package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A snapshot of a running job's curves, published every few optimizer steps, keyed by its job id. */
public record TrainingProgress(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String jobId,
        int step,
        int totalSteps,
        int epoch,
        double trainLoss,
        Double validationLoss,
        double learningRate,
        double tokensPerSecond) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return jobId;
    }

    @Override
    public List<String> problems() {
        return Problems.ofEnvelope(schemaVersion, SCHEMA_VERSION, eventId, occurredAt)
                .name(jobId, "jobId")
                .check(step >= 0, "step", "must not be negative")
                .check(totalSteps >= step, "totalSteps", "must be at least step")
                .check(Double.isFinite(trainLoss), "trainLoss", "must be a finite number")
                .toList();
    }
}
