package dev.finetune.evaluator.domain;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.FailureReasons;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.ModelPromoted;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.storage.Digests;
import dev.finetune.contracts.storage.LocalFiles;
import dev.finetune.evaluator.config.EvaluatorConfig;
import dev.finetune.evaluator.storage.EvaluationStore;
import dev.finetune.service.models.BaseModels;
import dev.finetune.lm.scoring.LanguageModel;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.text.ExampleFormat;
import dev.finetune.lm.training.SavedModels;
import dev.finetune.lm.text.TrainingExample;
import dev.finetune.metrics.ClassMetrics;
import dev.finetune.metrics.ClassificationMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Scores a trained model on its dataset version's test split: mean loss and perplexity over the target
 * tokens, and for classification the accuracy and confusion matrix of the label the model finds most likely; the
 * base model it started from is scored the same way, as the baseline ({@code baseline.*} metrics), and with the
 * dataset's own prompt when it has one ({@code prompt.*} metrics), and the model name's production version when
 * another one is in production ({@code production.*} metrics): every comparison on the same test split.
 * Every failure ends as a FAILED {@link EvaluationCompleted} that says why.
 */
@ApplicationScoped
public class ModelEvaluator {

    private static final Logger LOG = Logger.getLogger(ModelEvaluator.class);

    /** Prefix of the base model's metrics in an evaluation's metrics: {@code baseline.accuracy}. */
    public static final String BASELINE_PREFIX = "baseline.";
    /**
     * Prefix of the base model's metrics with the dataset's own prompt ({@code prompt.accuracy}), when the dataset
     * has one: "prompt engineering first", scored on the same test split as the fine-tune.
     */
    public static final String PROMPT_PREFIX = "prompt.";
    /**
     * Prefix of the production model's metrics on the same test split ({@code production.accuracy}, and
     * {@code production.version}), when another version of the model name is in production.
     */
    public static final String PRODUCTION_PREFIX = "production.";

    /**
     * Prefix of the base model's metrics with the dataset's prompt preceded by solved training examples
     * ({@code fewshot.accuracy}), when the dataset asks for {@code baselineShots}.
     */
    public static final String FEW_SHOT_PREFIX = "fewshot.";

    /** Part of a stored baseline's key: a baseline computed before the metrics it holds changed is computed again. */
    private static final String BASELINE_METRICS_VERSION = "metrics-2";

    private final EvaluationStore store;
    private final BaseModels baseModels;
    private final EvaluatorConfig config;
    private final MeterRegistry meters;
    private final Template reportTemplate;
    private final Map<String, AtomicLong> latestScores = new ConcurrentHashMap<>();

    public ModelEvaluator(EvaluationStore store, BaseModels baseModels, EvaluatorConfig config, MeterRegistry meters,
                          @Location("report.html") Template reportTemplate) {
        this.reportTemplate = reportTemplate;
        this.store = store;
        this.baseModels = baseModels;
        this.config = config;
        this.meters = meters;
    }

    /**
     * Evaluates, or returns the recorded outcome when this job was already evaluated successfully; a failed
     * evaluation is not recorded, so a redelivery tries again.
     */
    public EvaluationCompleted evaluate(TrainingCompleted training) {
        var previous = store.completed(training.jobId());
        if (previous.isPresent()) {
            return previous.get();
        }
        EvaluationCompleted result;
        try {
            result = score(training);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.errorf(e, "evaluation of job %s failed", training.jobId());
            result = failed(training, FailureReasons.of(e));
        }
        meters.counter("finetune.evaluations", "outcome", result.outcome().name()).increment();
        String model = training.request().modelName();
        result.metrics().forEach((name, value) -> latestScore(model, name).set(Double.doubleToLongBits(value)));
        if (result.outcome() == JobOutcome.SUCCEEDED) {
            store.saveCompleted(result);
        }
        return result;
    }

    /** The gauge of a model name's newest score on one metric ({@code finetune_evaluation_score{model,metric}}). */
    private AtomicLong latestScore(String model, String metric) {
        return latestScores.computeIfAbsent(model + "\u0000" + metric, key -> meters.gauge("finetune.evaluation.score",
                Tags.of("model", model, "metric", metric), new AtomicLong(), bits -> Double.longBitsToDouble(bits.get())));
    }

    private EvaluationCompleted score(TrainingCompleted training) {
        DatasetVersionCreated dataset = store.datasetVersion(training.request().dataset()).orElse(null);
        if (dataset == null) {
            return failed(training, "dataset " + training.request().dataset().name() + " has no version "
                    + training.request().dataset().version());
        }
        List<Map<String, Object>> rows = store.testRows(dataset);
        Scored trained = scoreStored(training.model(), training.jobId(), dataset, rows);
        ExampleFormat format = trained.format();
        Scores scores = trained.scores();
        Map<String, Double> metrics = new LinkedHashMap<>(scores.metrics());
        baseline(training, dataset, rows, format)
                .forEach((name, value) -> metrics.put(BASELINE_PREFIX + name, value));
        EvaluationStore.PromptBaseline prompt = store.promptBaseline(dataset);
        if (prompt.prompt().isPresent()) {
            ExampleFormat prompted = ExampleFormat.withPrompt(prompt.prompt().get(),
                    dataset.task() == TaskType.CLASSIFICATION);
            baseline(training, dataset, rows, prompted)
                    .forEach((name, value) -> metrics.put(PROMPT_PREFIX + name, value));
            if (prompt.shots() > 0) {
                Demonstrations demonstrations = new Demonstrations(prompt.shots(), dataset.labels());
                store.readTrainRows(dataset, demonstrations);
                baseline(training, dataset, rows, prompted.withDemonstrations(demonstrations.chosen()))
                        .forEach((name, value) -> metrics.put(FEW_SHOT_PREFIX + name, value));
            }
        }
        store.production(training.request().modelName())
                .filter(p -> !p.jobId().equals(training.jobId()))
                .ifPresent(p -> production(training, p, dataset, rows)
                        .forEach((name, value) -> metrics.put(PRODUCTION_PREFIX + name, value)));
        EvaluationReport report = new EvaluationReport(training.jobId(), training.model(), dataset.dataset(),
                dataset.task().name(), rows.size(), metrics, scores.confusion(), scores.perClass(), scores.samples(),
                scores.worstErrors(), scores.unsupported(), Instant.now());
        ArtifactRef reportRef = store.saveReport(report, reportTemplate.data("page", ReportPage.of(report)).render());
        LOG.infof("job %s evaluated on %d test examples: %s", training.jobId(), rows.size(), metrics);
        return new EvaluationCompleted(EvaluationCompleted.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(),
                training.jobId(), JobOutcome.SUCCEEDED, null, training.model(), dataset.dataset(), rows.size(),
                metrics, reportRef);
    }

    /** A model's scores on the test rows, in the format it was trained in. */
    private record Scores(Map<String, Double> metrics, Map<String, Map<String, Long>> confusion,
            List<ClassMetrics> perClass, List<EvaluationReport.Prediction> samples,
            List<EvaluationReport.Prediction> worstErrors, List<EvaluationReport.Unsupported> unsupported) {}

    /** A stored model's scores, and the format it was trained in (read from its manifest). */
    private record Scored(ExampleFormat format, Scores scores) {}

    /** Downloads a stored model (checking every file), scores it in its trained format, and deletes the copy. */
    private Scored scoreStored(ArtifactRef model, String workName, DatasetVersionCreated dataset,
                               List<Map<String, Object>> rows) {
        Path folder = config.workDir().resolve(workName + "-" + UUID.randomUUID());
        try {
            store.downloadModel(model, folder);
            try (LanguageModel loaded = LanguageModel.load(folder)) {
                ExampleFormat format = ExampleFormat.fromManifestExtras(trainedExtras(folder),
                        dataset.task() == TaskType.CLASSIFICATION);
                return new Scored(format, score(loaded, format, rows, dataset));
            }
        } finally {
            LocalFiles.deleteQuietly(folder);
        }
    }

    private Scores score(LanguageModel model, ExampleFormat format, List<Map<String, Object>> rows,
            DatasetVersionCreated dataset) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<TrainingExample> examples = rows.stream().map(format::example).toList();
        double loss = model.meanLoss(examples, config.batchSize());
        metrics.put("loss", loss);
        metrics.put("perplexity", Math.exp(loss));
        Map<String, Map<String, Long>> confusion = null;
        List<ClassMetrics> perClass = null;
        List<EvaluationReport.Prediction> samples = new ArrayList<>();
        List<EvaluationReport.Prediction> errors = new ArrayList<>();
        if (dataset.task() == TaskType.CLASSIFICATION) {
            ClassificationMetrics scores = classify(model, format, rows, dataset.labels(), samples, errors);
            metrics.put("accuracy", scores.accuracy());
            metrics.put("macroF1", scores.macroF1());
            metrics.put("macroPrecision", scores.macroPrecision());
            metrics.put("macroRecall", scores.macroRecall());
            confusion = confusionByLabel(scores);
            perClass = scores.perClass();
            metrics.put("outsideLabelsRate", GeneratedAnswers.outsideLabelsRate(model, format,
                    rows.stream().map(r -> String.valueOf(r.get("text"))).toList(), dataset.labels(),
                    config.generationExamples()));
        }
        List<EvaluationReport.Unsupported> unsupported = List.of();
        if (dataset.task() != TaskType.CLASSIFICATION && dataset.task() != TaskType.LANGUAGE_MODELING) {
            GeneratedAnswers.Result generated = GeneratedAnswers.answers(model, examples, dataset.task(),
                    config.generationExamples(), config.maxNewTokens(), config.samplePredictions());
            metrics.putAll(generated.metrics());
            samples.addAll(generated.samples());
            unsupported = generated.worstUnsupported();
        }
        return new Scores(metrics, confusion, perClass, samples, errors, unsupported);
    }

    /**
     * The base model's scores on the same rows in the same format, the baseline that shows what the fine-tune
     * gained; computed once per base model, dataset version and format, then read from storage. A baseline that
     * cannot be computed (a base model no longer stored) is logged and left out, never failing the evaluation.
     */
    private Map<String, Double> baseline(TrainingCompleted training, DatasetVersionCreated dataset,
            List<Map<String, Object>> rows, ExampleFormat format) {
        String baseModel = training.request().baseModel();
        long seed = training.request().withDefaults().hyperparameters().seed();
        try {
            String local = baseModels.localReference(baseModel); // names the stored content, not just the model
            String key = Path.of(local).getFileName() + "|" + dataset.dataset().name() + "|" + dataset.dataset().version() + "|"
                    + format.template() + "|" + format.prompt() + "|"
                    + Digests.sha256(format.demonstrations().getBytes(StandardCharsets.UTF_8)) + "|" + seed
                    + "|" + BASELINE_METRICS_VERSION;
            Optional<Map<String, Double>> stored = store.baseline(key);
            if (stored.isPresent()) {
                return stored.get();
            }
            BaseModel base = BaseModel.resolve(local);
            Map<String, Double> metrics;
            try (LanguageModel model = LanguageModel.of(base, seed)) {
                metrics = score(model, format, rows, dataset).metrics();
            }
            store.saveBaseline(key, metrics);
            return metrics;
        } catch (RuntimeException e) {
            LOG.warnf("job %s: no baseline for base model %s: %s", training.jobId(), baseModel, e.getMessage());
            return Map.of();
        }
    }

    /**
     * The production version's scores on the same rows, in the format it was trained in, and its version number; a
     * production model that cannot be scored (its files gone) is logged and left out.
     */
    private Map<String, Double> production(TrainingCompleted training, ModelPromoted production,
                                           DatasetVersionCreated dataset, List<Map<String, Object>> rows) {
        try {
            Map<String, Double> metrics = new LinkedHashMap<>(
                    scoreStored(production.model(), training.jobId() + "-production", dataset, rows).scores().metrics());
            metrics.put("version", (double) production.version());
            return metrics;
        } catch (RuntimeException e) {
            LOG.warnf("job %s: production version %d of %s not scored: %s", training.jobId(), production.version(),
                    production.modelName(), e.getMessage());
            return Map.of();
        }
    }

    /**
     * Predicts each row's label; fills {@code samples} with the first predictions and {@code errors} with the most
     * confidently wrong ones (each at most {@code samplePredictions} long).
     */
    private ClassificationMetrics classify(LanguageModel model, ExampleFormat format, List<Map<String, Object>> rows,
                                           List<String> labels, List<EvaluationReport.Prediction> samples,
                                           List<EvaluationReport.Prediction> errors) {
        List<String> truth = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        List<EvaluationReport.Prediction> wrong = new ArrayList<>();
        List<String> completions = labels.stream().map(format::labelCompletion).toList();
        for (Map<String, Object> row : rows) {
            String text = String.valueOf(row.get("text"));
            double[] logP = model.logProbabilities(format.labelPrompt(text), completions);
            int best = 0;
            for (int i = 1; i < logP.length; i++) {
                best = logP[i] > logP[best] ? i : best;
            }
            double total = 0;
            for (double lp : logP) {
                total += Math.exp(lp - logP[best]);
            }
            var prediction = new EvaluationReport.Prediction(text, String.valueOf(row.get("label")), labels.get(best),
                    1 / total);
            truth.add(prediction.reference());
            predicted.add(prediction.predicted());
            if (samples.size() < config.samplePredictions()) {
                samples.add(prediction);
            }
            if (!prediction.correct()) {
                wrong.add(prediction);
            }
        }
        wrong.sort(Comparator.comparing(EvaluationReport.Prediction::confidence).reversed());
        errors.addAll(wrong.subList(0, Math.min(wrong.size(), config.samplePredictions())));
        return ClassificationMetrics.evaluate(predicted, truth, labels);
    }

    /** The matrix as {@code true label -> predicted label -> count}, for the JSON report. */
    static Map<String, Map<String, Long>> confusionByLabel(ClassificationMetrics scores) {
        List<String> labels = scores.labels();
        int[][] matrix = scores.confusionMatrix();
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (int t = 0; t < labels.size(); t++) {
            Map<String, Long> row = new LinkedHashMap<>();
            for (int p = 0; p < labels.size(); p++) {
                row.put(labels.get(p), (long) matrix[t][p]);
            }
            out.put(labels.get(t), row);
        }
        return out;
    }

    /** The provenance the trainer recorded in the model's manifest (the prompt template among it). */
    private static Map<String, String> trainedExtras(Path folder) {
        Map<String, String> extras = new LinkedHashMap<>();
        SavedModels.readManifest(folder).path("extras").fields()
                .forEachRemaining(field -> extras.put(field.getKey(), field.getValue().asText()));
        return extras;
    }

    private static EvaluationCompleted failed(TrainingCompleted training, String reason) {
        return new EvaluationCompleted(EvaluationCompleted.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(),
                training.jobId(), JobOutcome.FAILED, reason, training.model(), training.request().dataset(), 0,
                Map.of(), null);
    }
}
