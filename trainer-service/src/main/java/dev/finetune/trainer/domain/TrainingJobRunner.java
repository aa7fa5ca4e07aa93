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
import dev.finetune.contracts.events.LoraSettings;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.model.LoraConfig;
import dev.finetune.lm.text.ExampleFormat;
import dev.finetune.lm.text.PromptTemplate;
import dev.finetune.lm.text.TrainingExample;
import dev.finetune.lm.training.CausalLmFineTuner;
import dev.finetune.lm.training.FineTuneJob;
import dev.finetune.lm.training.LearningRateSchedule;
import dev.finetune.lm.training.Preflight;
import dev.finetune.lm.training.ProgressListener;
import dev.finetune.lm.training.TrainConfig;
import dev.finetune.lm.training.TrainingResult;
import dev.finetune.trainer.config.TrainerConfig;
import dev.finetune.service.build.CodeVersion;
import dev.finetune.service.models.BaseModels;
import dev.finetune.trainer.storage.TrainingStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    private final BaseModels baseModels;
    private final TrainerConfig config;
    private final MeterRegistry meters;
    private final TrainingMetrics metrics;

    public TrainingJobRunner(TrainingStore store, BaseModels baseModels, TrainerConfig config, MeterRegistry meters,
            TrainingMetrics metrics) {
        this.store = store;
        this.baseModels = baseModels;
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
        BaseModel base;
        String baseReference;
        try {
            baseReference = baseModels.localReference(request.baseModel());
            base = BaseModel.resolve(baseReference);
        } catch (IllegalArgumentException e) {
            return failed(request, "baseModel: " + e.getMessage());
        }
        Path jobDir = config.workDir().resolve(request.jobId());
        try {
            Hyperparameters h = request.hyperparameters();
            TrainConfig trainConfig = new TrainConfig(h.epochs(), h.maxSteps(), h.batchSize(), h.sequenceLength(),
                    h.learningRate(), h.warmupSteps(), h.weightDecay(), h.seed(), h.progressEverySteps(),
                    LearningRateSchedule.Decay.valueOf(h.lrSchedule().toUpperCase(Locale.ROOT)),
                    h.gradientAccumulation(), h.earlyStoppingPatience(), h.checkpointEverySteps());
            LoraConfig lora = request.method() == TrainingMethod.LORA ? loraConfig(h.lora(), base) : null;
            PromptTemplate template = PromptTemplate.forJob(h.promptTemplate(),
                    request.method() == TrainingMethod.INSTRUCTION, base.chatTemplate().orElse(null));
            ExampleFormat format = new ExampleFormat(dataset.task() == TaskType.CLASSIFICATION, template);
            Map<String, String> lineage = new LinkedHashMap<>();
            lineage.put("jobId", request.jobId());
            lineage.put("modelName", request.modelName());
            lineage.put("dataset", dataset.dataset().name());
            lineage.put("datasetVersion", dataset.dataset().version());
            lineage.put("datasetSha256", dataset.contentSha256());
            lineage.put("task", dataset.task().name());
            lineage.put("method", request.method().name());
            lineage.put("baseModel", request.baseModel());
            lineage.put("codeVersion", CodeVersion.current());
            if (template != null) {
                lineage.put(ExampleFormat.MANIFEST_KEY, template.name());
            }
            List<Map<String, Object>> trainRows = store.rows(dataset.train());
            List<Map<String, Object>> validationRows = store.rows(dataset.validation());
            Map<String, List<Map<String, Object>>> splits = new LinkedHashMap<>();
            splits.put("train", trainRows);
            splits.put("validation", validationRows);
            splits.put("test", store.rows(dataset.test()));
            Preflight.Report preflight = Preflight.check(splits, format, base.tokenizer(), h.sequenceLength(),
                    base.config().contextLength(), dataset.labels() == null ? Set.of() : Set.copyOf(dataset.labels()));
            preflight.warnings().forEach(w -> LOG.warnf("job %s pre-flight: %s", request.jobId(), w));
            if (!preflight.passed()) {
                return failed(request, "pre-flight check failed, no training time spent: "
                        + String.join("; ", preflight.failures()));
            }
            FineTuneJob job = new FineTuneJob(baseReference,
                    examples(trainRows, format),
                    examples(validationRows, format),
                    trainConfig, jobDir.resolve("model"), lineage, lora,
                    store.checkpoints(request.jobId(), jobDir));
            LOG.infof("job %s: training %s on %s/%s (%d examples)", request.jobId(), request.baseModel(),
                    dataset.dataset().name(), dataset.dataset().version(), dataset.train().examples());
            TrainingResult result;
            metrics.jobStarted();
            try {
                result = new CausalLmFineTuner().fineTune(job, progressTo(request.jobId(), progress));
            } finally {
                metrics.jobEnded();
            }
            ArtifactRef model = store.uploadModel(request.jobId(), result.modelDir());
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("initialTrainLoss", result.initialTrainLoss());
            metrics.put("trainLoss", result.finalTrainLoss());
            metrics.put("validationLoss", result.finalValidationLoss());
            metrics.put("tokensPerSecond", result.tokensPerSecond());
            metrics.put("steps", (double) result.steps());
            metrics.put("durationSeconds", result.duration().toMillis() / 1000.0);
            metrics.put("stoppedEarly", result.stoppedEarly() ? 1.0 : 0.0);
            store.deleteCheckpoints(request.jobId());
            return new TrainingCompleted(TrainingCompleted.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(),
                    request.jobId(), JobOutcome.SUCCEEDED, null, request, model, dataset.contentSha256(), metrics,
                    CodeVersion.current());
        } finally {
            LocalFiles.deleteQuietly(jobDir);
        }
    }

    /** The adapter of a LORA job: the request's settings, all attention projections when it names none. */
    private static LoraConfig loraConfig(LoraSettings settings, BaseModel base) {
        LoraSettings s = settings == null ? LoraSettings.DEFAULTS : settings.withDefaults();
        if (s.targetModules().isEmpty()) {
            return LoraConfig.attention(base.config().family(), s.rank(), s.alpha(), s.dropout());
        }
        return new LoraConfig(s.rank(), s.alpha(), s.dropout(), Set.copyOf(s.targetModules()));
    }

    private static List<TrainingExample> examples(List<Map<String, Object>> rows, ExampleFormat format) {
        return rows.stream().map(format::example).toList();
    }

    private ProgressListener progressTo(String jobId, Consumer<TrainingProgress> progress) {
        return u -> {
            metrics.record(u);
            progress.accept(new TrainingProgress(TrainingProgress.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(),
                    jobId, u.step(), u.totalSteps(), u.epoch(), u.trainLoss(), u.validationLoss(), u.learningRate(),
                    u.tokensPerSecond()));
        };
    }

    private static TrainingCompleted failed(TrainingRequested request, String reason) {
        return new TrainingCompleted(TrainingCompleted.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(),
                request.jobId(), JobOutcome.FAILED, reason, request, null, null, Map.of(), CodeVersion.current());
    }
}
