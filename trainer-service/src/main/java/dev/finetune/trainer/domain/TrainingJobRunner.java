package dev.finetune.trainer.domain;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.FailureReasons;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.storage.LocalFiles;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.lm.training.FineTuneJob;
import dev.finetune.lm.training.FineTuner;
import dev.finetune.lm.training.FineTuners;
import dev.finetune.lm.training.ProgressListener;
import dev.finetune.lm.training.TrainConfig;
import dev.finetune.lm.training.TrainingResult;
import dev.finetune.trainer.config.TrainerConfig;
import dev.finetune.trainer.storage.TrainingStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs one training job from its request to a stored model: reads the dataset version, fine-tunes through
 * the language-model library's {@link FineTuner} seam, uploads the model folder and records the outcome.
 * Every failure ends as a FAILED {@link TrainingCompleted} that says why; nothing is thrown past it.
 */
@ApplicationScoped
public class TrainingJobRunner {

    private static final Logger LOG = Logger.getLogger(TrainingJobRunner.class);

    private final TrainingStore store;
    private final TrainerConfig config;
    private final MeterRegistry meters;
    private final TrainingMetrics metrics;

    public TrainingJobRunner(TrainingStore store, TrainerConfig config, MeterRegistry meters, TrainingMetrics metrics) {
        this.store = store;
        this.config = config;
        this.meters = meters;
        this.metrics = metrics;
    }

    /**
     * Trains, or returns the recorded outcome when this job already succeeded (a redelivered request). Only
     * successes are recorded: a failure may have been passing (storage down), so a redelivered failed
     * request is tried again.
     */
    public TrainingCompleted run(TrainingRequested request, Consumer<TrainingProgress> progress) {
        var previous = store.completed(request.jobId());
        if (previous.isPresent()) {
            LOG.infof("job %s already ended (%s): answering from its record", request.jobId(), previous.get().outcome());
            return previous.get();
        }
        Timer.Sample timer = Timer.start(meters);
        TrainingCompleted completed;
        try {
            completed = train(request.withDefaults(), progress);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.errorf(e, "job %s failed", request.jobId());
            completed = failed(request, FailureReasons.of(e));
        }
        timer.stop(meters.timer("finetune.training.duration", "outcome", completed.outcome().name()));
        if (completed.outcome() == JobOutcome.SUCCEEDED) {
            store.saveCompleted(completed);
        }
        return completed;
    }

    private TrainingCompleted train(TrainingRequested request, Consumer<TrainingProgress> progress) {
        DatasetVersionCreated dataset = store.datasetVersion(request.dataset()).orElse(null);
        if (dataset == null) {
            return failed(request, "dataset " + request.dataset().name() + " has no version "
                    + request.dataset().version());
        }
        FineTuner fineTuner;
        try {
            fineTuner = FineTuners.forBaseModel(request.baseModel());
        } catch (IllegalArgumentException e) {
            return failed(request, "baseModel: " + e.getMessage());
        }
        Path jobDir = config.workDir().resolve(request.jobId());
        try {
            Hyperparameters h = request.hyperparameters();
            TrainConfig trainConfig = new TrainConfig(h.epochs(), h.maxSteps(), h.batchSize(), h.sequenceLength(),
                    h.learningRate(), h.warmupSteps(), h.weightDecay(), h.seed(), h.progressEverySteps());
            Map<String, String> lineage = new LinkedHashMap<>();
            lineage.put("jobId", request.jobId());
            lineage.put("modelName", request.modelName());
            lineage.put("dataset", dataset.dataset().name());
            lineage.put("datasetVersion", dataset.dataset().version());
            lineage.put("datasetSha256", dataset.contentSha256());
            lineage.put("task", dataset.task().name());
            lineage.put("method", request.method().name());
            lineage.put("baseModel", request.baseModel());
            FineTuneJob job = new FineTuneJob(request.baseModel(),
                    DatasetExamples.of(store.rows(dataset.train()), dataset.task()),
                    DatasetExamples.of(store.rows(dataset.validation()), dataset.task()),
                    trainConfig, jobDir.resolve("model"), lineage);
            LOG.infof("job %s: training %s on %s/%s (%d examples)", request.jobId(), request.baseModel(),
                    dataset.dataset().name(), dataset.dataset().version(), dataset.train().examples());
            TrainingResult result = fineTuner.fineTune(job, progressTo(request.jobId(), progress));
            ArtifactRef model = store.uploadModel(request.jobId(), result.modelDir());
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("initialTrainLoss", result.initialTrainLoss());
            metrics.put("trainLoss", result.finalTrainLoss());
            metrics.put("validationLoss", result.finalValidationLoss());
            metrics.put("tokensPerSecond", result.tokensPerSecond());
            metrics.put("steps", (double) result.steps());
            metrics.put("durationSeconds", result.duration().toMillis() / 1000.0);
            return new TrainingCompleted(TrainingCompleted.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(),
                    request.jobId(), JobOutcome.SUCCEEDED, null, request, model, dataset.contentSha256(), metrics);
        } finally {
            LocalFiles.deleteQuietly(jobDir);
        }
    }

    private ProgressListener progressTo(String jobId, Consumer<TrainingProgress> progress) {
        metrics.jobStarted();
        return u -> {
            metrics.record(u);
            progress.accept(new TrainingProgress(TrainingProgress.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(),
                    jobId, u.step(), u.totalSteps(), u.epoch(), u.trainLoss(), u.validationLoss(), u.learningRate(),
                    u.tokensPerSecond()));
        };
    }

    private static TrainingCompleted failed(TrainingRequested request, String reason) {
        return new TrainingCompleted(TrainingCompleted.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(),
                request.jobId(), JobOutcome.FAILED, reason, request, null, null, Map.of());
    }
}
