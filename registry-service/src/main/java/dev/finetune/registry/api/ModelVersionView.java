package dev.finetune.registry.api;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.registry.domain.CurvePoint;
import dev.finetune.registry.domain.ModelVersion;
import dev.finetune.registry.domain.Registry;
import java.time.Instant;
import java.util.Map;

/**
 * A model version as the API shows it: lineage (data, base model, method, settings, code), the model's files
 * with their sha256, the training curve's summary, metrics and the promotion gate's decision.
 */
public record ModelVersionView(long id, String modelName, int version, String jobId, String stage,
                               String baseModel, String method, DatasetRef dataset, String datasetSha256,
                               Hyperparameters hyperparameters, String codeVersion, ArtifactRef model,
                               Map<String, Double> trainingMetrics, CurveView.Summary trainingCurve, Map<String, Double> evaluationMetrics,
                               String evaluationReport, String evaluationFailureReason,
                               Instant createdAt, Instant evaluatedAt, Boolean gatePassed, String gateDecision) {

    public static ModelVersionView of(ModelVersion v) {
        return new ModelVersionView(v.id, v.modelName, v.version, v.jobId, v.stage, v.baseModel, v.method,
                new DatasetRef(v.datasetName, v.datasetVersion), v.datasetSha256,
                Registry.hyperparameters(v.hyperparameters), v.codeVersion,
                new ArtifactRef(v.modelUri, v.modelSha256, v.modelSizeBytes),
                Registry.metrics(v.trainingMetrics), CurveView.Summary.of(CurvePoint.of(v.jobId)), Registry.metrics(v.evaluationMetrics), v.evaluationReportUri,
                v.evaluationFailureReason, v.createdAt, v.evaluatedAt, v.gatePassed, v.gateDecision);
    }
}
