package dev.finetune.registry.api;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.TrainingMethod;

/**
 * The body of {@code POST /api/jobs}: what to train. The job id, event id and time are the registry's; who asked
 * is the caller's token, never the body.
 *
 * @param modelName the registered model the job makes a new version of; defaults to the dataset's name
 */
public record JobRequest(String modelName, DatasetRef dataset, String baseModel, TrainingMethod method,
                         Hyperparameters hyperparameters, String reason) {
}
