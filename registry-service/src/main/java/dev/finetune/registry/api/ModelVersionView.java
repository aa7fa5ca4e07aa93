package dev.finetune.registry.api;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.registry.domain.ModelVersion;
import dev.finetune.registry.domain.Registry;
import java.time.Instant;
import java.util.Map;

/** A model version as the API shows it: lineage, artifacts and metrics. */
public record ModelVersionView(long id, String modelName, int version, String jobId, String stage,
                               String baseModel, String method, DatasetRef dataset, String datasetSha256,
                               Hyperparameters hyperparameters, ArtifactRef model,
                               Map<String, Double> trainingMetrics, Map<String, Double> evaluationMetrics,
                               String evaluationReport, String evaluationFailureReason,
                               Instant createdAt, Instant evaluatedAt, Boolean gatePassed, String gateDecision) {

    static ModelVersionView of(ModelVersion v) {
        return new ModelVersionView(v.id, v.modelName, v.version, v.jobId, v.stage, v.baseModel, v.method,
                new DatasetRef(v.datasetName, v.datasetVersion), v.datasetSha256,
                Registry.hyperparameters(v.hyperparameters),
                new ArtifactRef(v.modelUri, v.modelSha256, v.modelSizeBytes),
                Registry.metrics(v.trainingMetrics), Registry.metrics(v.evaluationMetrics), v.evaluationReportUri,
                v.evaluationFailureReason, v.createdAt, v.evaluatedAt, v.gatePassed, v.gateDecision);
    }
}
