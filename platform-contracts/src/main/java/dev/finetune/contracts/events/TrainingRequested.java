package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The command to fine-tune a base model on a dataset version, keyed by its job id. Published by the
 * registry's job API or by the CLI ({@code ./finetune submit}).
 *
 * @param modelName   the registered model this job produces a new version of
 * @param baseModel   the pre-trained model to start from (a name known to the trainer, or an s3:// prefix)
 * @param requestedBy who asked: a user name, or {@code dataset-service} for automatic retraining
 * @param reason      why, in words, e.g. "manual" or "120 new labeled examples since v3"
 */
public record TrainingRequested(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String jobId,
        String modelName,
        DatasetRef dataset,
        String baseModel,
        TrainingMethod method,
        Hyperparameters hyperparameters,
        String requestedBy,
        String reason) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return jobId;
    }

    /** This request with its hyperparameters completed from the defaults. */
    public TrainingRequested withDefaults() {
        Hyperparameters h = hyperparameters == null ? Hyperparameters.DEFAULTS : hyperparameters.withDefaults();
        return new TrainingRequested(schemaVersion, eventId, occurredAt, jobId, modelName, dataset, baseModel,
                method == null ? TrainingMethod.FULL : method, h, requestedBy, reason);
    }

    @Override
    public List<String> problems() {
        return problems(true);
    }

    /**
     * The problems of this request as the lineage of a later event ({@code TrainingCompleted.request}): the same,
     * except that requests recorded before a principal was required may name nobody.
     */
    public List<String> lineageProblems() {
        return problems(false);
    }

    private List<String> problems(boolean asCommand) {
        Problems p = Problems.ofEnvelope(schemaVersion, SCHEMA_VERSION, eventId, occurredAt)
                .name(jobId, "jobId")
                .name(modelName, "modelName")
                .notNull(dataset, "dataset")
                .notBlank(baseModel, "baseModel");
        if (asCommand) {
            // every command names who gave it: a request without a principal is refused (to the DLQ)
            p.notBlank(requestedBy, "requestedBy");
        }
        if (dataset != null) {
            p.nested("dataset", dataset.problems());
        }
        if (hyperparameters != null) {
            p.nested("hyperparameters", hyperparameters.problems());
        }
        return p.toList();
    }
}
