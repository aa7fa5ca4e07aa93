package dev.finetune.evaluator.storage;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.ModelPromoted;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.DatasetLayout;
import dev.finetune.contracts.storage.Digests;
import dev.finetune.contracts.storage.JsonLines;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.evaluator.domain.EvaluationReport;
import jakarta.enterprise.context.ApplicationScoped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the evaluator reads and writes in object storage. An evaluation lives under
 * {@code evaluations/<jobId>/}: {@code report.json}, and {@code evaluation.json} holding the
 * {@link EvaluationCompleted} record, which makes a redelivered {@code TrainingCompleted} cheap to answer.
 */
@ApplicationScoped
public class EvaluationStore {

    private final ObjectStore store;

    public EvaluationStore(ObjectStore store) {
        this.store = store;
    }

    public Optional<EvaluationCompleted> completed(String jobId) {
        return store.findEvent(evaluationUri(jobId), EvaluationCompleted.class);
    }

    public void saveCompleted(EvaluationCompleted completed) {
        store.putEvent(evaluationUri(completed.jobId()), completed);
    }

    public Optional<DatasetVersionCreated> datasetVersion(DatasetRef ref) {
        return DatasetLayout.readManifest(store, ref);
    }

    /**
     * How the base model is asked on its own: the prompt (the version's own, else the dataset's current one) and how
     * many solved examples precede it in the few-shot baseline (0 for none).
     *
     * @param prompt empty when the dataset has none
     */
    public record PromptBaseline(Optional<String> prompt, int shots) {
    }

    /**
     * The prompt baseline of this version: a prompt changed after the data was uploaded makes no new version and is
     * still meant to be tried, so the dataset's current settings (read once) fill in what the version does not say.
     */
    public PromptBaseline promptBaseline(DatasetVersionCreated dataset) {
        S3Uri settings = DatasetLayout.settings(dataset.dataset().name());
        JsonNode current;
        try {
            current = store.exists(settings) ? EventCodec.mapper().readTree(store.readBytes(settings))
                    : EventCodec.mapper().createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + settings + ": " + e.getMessage(), e);
        }
        Optional<String> prompt = dataset.baselinePrompt() != null ? Optional.of(dataset.baselinePrompt())
                : Optional.ofNullable(current.get("baselinePrompt")).filter(JsonNode::isTextual).map(JsonNode::asText);
        int shots = current.path("baselineShots").isInt() ? current.path("baselineShots").asInt() : 0;
        return new PromptBaseline(prompt, shots);
    }

    /** The version of a model name in production, as the last {@code ModelPromoted} to production said. */
    public Optional<ModelPromoted> production(String modelName) {
        return store.findEvent(productionUri(modelName), ModelPromoted.class);
    }

    public void putProduction(ModelPromoted promoted) {
        store.putEvent(productionUri(promoted.modelName()), promoted);
    }

    public void deleteProduction(String modelName) {
        store.delete(productionUri(modelName));
    }

    private static S3Uri productionUri(String modelName) {
        return new S3Uri(Buckets.EVALUATIONS, "production/" + modelName + ".json");
    }

    public List<Map<String, Object>> testRows(DatasetVersionCreated dataset) {
        return JsonLines.read(store.readVerified(dataset.test().artifact()));
    }

    /** Hands the training split's rows in order to {@code wantsMore} until it has enough (see JsonLines). */
    public void readTrainRows(DatasetVersionCreated dataset, Predicate<Map<String, Object>> wantsMore) {
        JsonLines.readWhile(store.open(S3Uri.parse(dataset.train().artifact().uri())), wantsMore);
    }

    /**
     * Downloads a model folder given the reference of its manifest; the manifest's own sha256 is checked
     * here and the files it lists are checked when the model loads.
     */
    public Path downloadModel(ArtifactRef manifest, Path folder) {
        store.readVerified(manifest);
        S3Uri manifestUri = S3Uri.parse(manifest.uri());
        String key = manifestUri.key();
        return store.downloadFolder(new S3Uri(manifestUri.bucket(), key.substring(0, key.lastIndexOf('/'))), folder);
    }

    /**
     * Stores the JSON report as {@code <jobId>/report.json} and the readable one as {@code <jobId>/report.html};
     * returns the JSON report's reference (the HTML one sits next to it).
     */
    public ArtifactRef saveReport(EvaluationReport report, String html) {
        try {
            byte[] json = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
            store.putBytes(new S3Uri(Buckets.EVALUATIONS, report.jobId() + "/report.html"),
                    html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
            return store.putBytes(new S3Uri(Buckets.EVALUATIONS, report.jobId() + "/report.json"), json,
                    "application/json");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Baseline metrics stored under {@code key} (base model, dataset version, format), if computed before. */
    public Optional<Map<String, Double>> baseline(String key) {
        S3Uri uri = baselineUri(key);
        if (!store.exists(uri)) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventCodec.mapper().readValue(store.readBytes(uri),
                    new TypeReference<Map<String, Double>>() {}));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: computed again and overwritten
        }
    }

    public void saveBaseline(String key, Map<String, Double> metrics) {
        try {
            store.putBytes(baselineUri(key), EventCodec.mapper().writeValueAsBytes(metrics), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code evaluations/baselines/<sha256 of key>.json}: keys hold slashes and colons. */
    private static S3Uri baselineUri(String key) {
        return new S3Uri(Buckets.EVALUATIONS, "baselines/" + Digests.sha256(key.getBytes(StandardCharsets.UTF_8))
                + ".json");
    }

    private static S3Uri evaluationUri(String jobId) {
        return new S3Uri(Buckets.EVALUATIONS, jobId + "/evaluation.json");
    }
}
