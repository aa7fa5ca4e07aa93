package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A model version moved to another stage, keyed by the model's name so one model's stage changes stay in order.
 * Carries what a deployer acts on: which version, where its weights are, the stage it left and the one it is in
 * now, who moved it and why. Moving a version to {@code production} archives the one there before, announced
 * by a second event.
 *
 * @param changedBy the approver's token name, or {@value #GATE} when the promotion gate decided
 * @param reason    why, in words (the gate's figures, or the approver's reason)
 */
public record ModelPromoted(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String modelName,
        int version,
        String jobId,
        String fromStage,
        String toStage,
        ArtifactRef model,
        Map<String, Double> metrics,
        String changedBy,
        String reason) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    public static final String CANDIDATE = "candidate";
    public static final String STAGING = "staging";
    public static final String PRODUCTION = "production";
    public static final String ARCHIVED = "archived";
    /** Every stage a model version can be in. */
    public static final List<String> STAGES = List.of(CANDIDATE, STAGING, PRODUCTION, ARCHIVED);
    /** {@code changedBy} of the promotion gate's decisions. */
    public static final String GATE = "promotion-gate";

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
                .check(toStage != null && STAGES.contains(toStage), "toStage", "must be one of " + STAGES)
                .notNull(model, "model")
                .notBlank(changedBy, "changedBy")
                .notBlank(reason, "reason");
        if (model != null) {
            p.nested("model", model.problems());
        }
        return p.toList();
    }
}
