package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The registry recorded a new model version, keyed by the model's name so that one model's versions stay in
 * order. Carries what a downstream deployer needs: the weights' reference and the metrics.
 */
public record ModelRegistered(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String modelName,
        int version,
        String jobId,
        String stage,
        ArtifactRef model,
        DatasetRef dataset,
        Map<String, Double> metrics) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return modelName;
    }

    @Override
    public List<String> problems() {
        Problems p = Problems.ofEnvelope(schemaVersion, SCHEMA_VERSION, eventId, occurredAt)
                .name(modelName, "modelName")
                .check(version >= 1, "version", "must be at least 1")
                .name(jobId, "jobId")
                .notBlank(stage, "stage")
                .notNull(model, "model");
        if (model != null) {
            p.nested("model", model.problems());
        }
        return p.toList();
    }
}
