package dev.finetune.registry.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.ModelPromoted;
import dev.finetune.contracts.events.ModelRegistered;
import dev.finetune.contracts.events.PlatformEvent;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.events.TrainingRequested;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Applies the platform's events to the registry's tables. Each method runs in one transaction and first
 * records the event's id, so a redelivered event changes nothing twice (evaluations excepted: see
 * {@link #recordEvaluation}); events may arrive in any order across topics (progress before its request,
 * say), and each method copes with what it finds.
 */
@ApplicationScoped
public class Registry {

    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {
    };

    private final Promotions promotions;

    public Registry(Promotions promotions) {
        this.promotions = promotions;
    }

    @Transactional
    public void recordRequest(TrainingRequested request, String topic) {
        if (alreadyApplied(request, topic)) {
            return;
        }
        if (TrainingJob.findById(request.jobId()) == null) {
            newJob(request).persist();
        }
    }

    @Transactional
    public void recordProgress(TrainingProgress progress, String topic) {
        if (alreadyApplied(progress, topic)) {
            return;
        }
        CurvePoint.record(progress);
        TrainingJob job = TrainingJob.findById(progress.jobId());
        if (job == null || job.status.ended() || job.status == JobStatus.TRAINED
                || (job.step != null && job.step > progress.step())) {
            return;
        }
        job.status = JobStatus.RUNNING;
        job.step = progress.step();
        job.totalSteps = progress.totalSteps();
        job.trainLoss = progress.trainLoss();
        if (progress.validationLoss() != null) {
            job.validationLoss = progress.validationLoss();
        }
        job.tokensPerSecond = progress.tokensPerSecond();
        job.updatedAt = progress.occurredAt();
    }

    /**
     * Records the outcome of training; a success becomes a new model version in the candidate stage. A failed job of
     * a task run may be the last of the run to end: the run is settled then, and its promotion returned.
     */
    @Transactional
    public List<ModelPromoted> recordTraining(TrainingCompleted completed, String topic) {
        if (alreadyApplied(completed, topic)) {
            return List.of();
        }
        TrainingRequested request = completed.request().withDefaults();
        TrainingJob job = TrainingJob.findById(completed.jobId());
        if (job == null) {
            job = newJob(request);
            job.persist();
        }
        job.updatedAt = completed.occurredAt();
        if (completed.outcome() == JobOutcome.FAILED) {
            job.status = JobStatus.FAILED;
            job.failureReason = "training failed: " + completed.failureReason();
            return TaskRun.<TaskRun>findByIdOptional(completed.jobId()).filter(r -> r.runId != null)
                    .map(r -> promotions.settleRun(r.runId)).orElse(List.of());
        }
        if (job.status != JobStatus.EVALUATED) {
            job.status = JobStatus.TRAINED;
        }
        Map<String, Double> metrics = completed.metrics() == null ? Map.of() : completed.metrics();
        job.trainLoss = metrics.getOrDefault("trainLoss", job.trainLoss);
        job.validationLoss = metrics.getOrDefault("validationLoss", job.validationLoss);
        if (ModelVersion.find("jobId", completed.jobId()).firstResultOptional().isPresent()) {
            return List.of();
        }
        ModelVersion v = new ModelVersion();
        v.modelName = request.modelName();
        v.version = nextVersion(request.modelName());
        v.jobId = completed.jobId();
        v.stage = ModelPromoted.CANDIDATE;  // where a freshly trained model starts
        v.datasetName = request.dataset().name();
        v.datasetVersion = request.dataset().version();
        v.datasetSha256 = completed.datasetSha256();
        v.baseModel = request.baseModel();
        v.method = request.method().name();
        v.hyperparameters = json(request.hyperparameters());
        v.modelUri = completed.model().uri();
        v.modelSha256 = completed.model().sha256();
        v.modelSizeBytes = completed.model().sizeBytes();
        v.trainingMetrics = json(metrics);
        v.codeVersion = completed.codeVersion();
        v.createdAt = completed.occurredAt();
        v.persist();
        return List.of();
    }

    /**
     * Attaches an evaluation to its model version, applies the promotion gate, and returns the facts to publish:
     * {@link ModelRegistered}, then the {@code ModelPromoted} of a version the gate moved (and of the one it
     * replaced in production).
     * Unlike the other events this one is applied again on redelivery (it sets the same values), so that a
     * fact whose publication failed is published when the evaluation is redelivered; the fact's event id is
     * derived from the job, so a consumer that sees it twice can tell.
     */
    @Transactional
    public List<PlatformEvent> recordEvaluation(EvaluationCompleted evaluation) {
        ModelVersion v = ModelVersion.<ModelVersion>find("jobId", evaluation.jobId()).firstResult();
        TrainingJob job = TrainingJob.findById(evaluation.jobId());
        if (v == null || job == null) {
            throw new VersionNotRecordedYet(evaluation.jobId());
        }
        job.updatedAt = evaluation.occurredAt();
        v.evaluatedAt = evaluation.occurredAt();
        if (evaluation.outcome() == JobOutcome.FAILED) {
            job.status = JobStatus.FAILED;
            job.failureReason = "evaluation failed: " + evaluation.failureReason();
            v.evaluationFailureReason = evaluation.failureReason();
            return List.of();
        }
        job.status = JobStatus.EVALUATED;
        v.evaluationMetrics = json(evaluation.metrics());
        v.evaluationReportUri = evaluation.report().uri();
        v.evaluationReportSha256 = evaluation.report().sha256();
        List<PlatformEvent> facts = new ArrayList<>();
        facts.add(new ModelRegistered(ModelRegistered.SCHEMA_VERSION,
                UUID.nameUUIDFromBytes(("model-registered:" + v.jobId).getBytes(StandardCharsets.UTF_8)), Instant.now(),
                v.modelName, v.version, v.jobId, v.stage, evaluation.model(), evaluation.dataset(),
                evaluation.metrics()));
        facts.addAll(promotions.gate(v, evaluation.metrics()));
        return facts;
    }

    @Transactional
    public void recordDataset(DatasetVersionCreated created, String topic) {
        if (alreadyApplied(created, topic)) {
            return;
        }
        DatasetVersionRecord.Key key = new DatasetVersionRecord.Key();
        key.datasetName = created.dataset().name();
        key.version = created.dataset().version();
        if (DatasetVersionRecord.findById(key) != null) {
            return;
        }
        DatasetVersionRecord r = new DatasetVersionRecord();
        r.datasetName = key.datasetName;
        r.version = key.version;
        r.parentVersion = created.parentVersion();
        r.task = created.task().name();
        r.contentSha256 = created.contentSha256();
        r.trainCount = created.train().examples();
        r.validationCount = created.validation().examples();
        r.testCount = created.test().examples();
        r.createdAt = created.occurredAt();
        r.persist();
    }

    /** Records a job the registry's own API accepted, before its request is published. */
    @Transactional
    public TrainingJob acceptJob(TrainingRequested request) {
        TrainingJob job = newJob(request);
        job.persist();
        return job;
    }

    @Transactional
    public void jobNotPublished(String jobId, String reason) {
        TrainingJob job = TrainingJob.findById(jobId);
        job.status = JobStatus.FAILED;
        job.failureReason = "the request could not be published: " + reason;
        job.updatedAt = Instant.now();
    }

    /** An evaluation arrived before its training outcome; the caller waits and tries again. */
    public static class VersionNotRecordedYet extends RuntimeException {
        VersionNotRecordedYet(String jobId) {
            super("no trained model version is recorded for job " + jobId);
        }
    }

    public static Map<String, Double> metrics(String json) {
        if (json == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readValue(json, METRICS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metrics are not JSON: " + json, e);
        }
    }

    public static Hyperparameters hyperparameters(String json) {
        try {
            return EventCodec.mapper().readValue(json, Hyperparameters.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored hyperparameters are not JSON: " + json, e);
        }
    }

    private static TrainingJob newJob(TrainingRequested request) {
        TrainingRequested r = request.withDefaults();
        TrainingJob job = new TrainingJob();
        job.jobId = r.jobId();
        job.modelName = r.modelName();
        job.datasetName = r.dataset().name();
        job.datasetVersion = r.dataset().version();
        job.baseModel = r.baseModel();
        job.method = r.method().name();
        job.hyperparameters = json(r.hyperparameters());
        job.requestedBy = r.requestedBy();
        job.reason = r.reason();
        job.status = JobStatus.QUEUED;
        job.requestedAt = r.occurredAt();
        job.updatedAt = r.occurredAt();
        return job;
    }

    private static int nextVersion(String modelName) {
        Integer max = ModelVersion.getEntityManager()
                .createQuery("select max(v.version) from ModelVersion v where v.modelName = :name", Integer.class)
                .setParameter("name", modelName).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    private static boolean alreadyApplied(PlatformEvent event, String topic) {
        if (ProcessedEvent.findById(event.eventId()) != null) {
            return true;
        }
        ProcessedEvent processed = new ProcessedEvent();
        processed.eventId = event.eventId();
        processed.topic = topic;
        processed.processedAt = Instant.now();
        processed.persist();
        return false;
    }

    private static String json(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
