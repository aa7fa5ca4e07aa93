package dev.finetune.registry.api;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.registry.domain.JobStatus;
import dev.finetune.registry.domain.Registry;
import dev.finetune.registry.domain.TrainingJob;
import java.time.Instant;

/** A job as the API shows it. */
public record JobView(String jobId, JobStatus status, String modelName, DatasetRef dataset, String baseModel,
                      String method, Hyperparameters hyperparameters, String requestedBy, String reason,
                      Integer step, Integer totalSteps, Double trainLoss, Double validationLoss,
                      Double tokensPerSecond, String failureReason, Instant requestedAt, Instant updatedAt) {

    public static JobView of(TrainingJob j) {
        return new JobView(j.jobId, j.status, j.modelName, new DatasetRef(j.datasetName, j.datasetVersion),
                j.baseModel, j.method, Registry.hyperparameters(j.hyperparameters), j.requestedBy, j.reason, j.step,
                j.totalSteps, j.trainLoss, j.validationLoss, j.tokensPerSecond, j.failureReason, j.requestedAt,
                j.updatedAt);
    }
}
