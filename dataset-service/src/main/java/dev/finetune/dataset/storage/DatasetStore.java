package dev.finetune.dataset.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.SplitArtifact;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.DatasetLayout;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.dataset.domain.CleaningReport;
import dev.finetune.dataset.domain.DatasetCard;
import dev.finetune.dataset.domain.DatasetSettings;
import dev.finetune.dataset.domain.Example;
import dev.finetune.dataset.domain.ExampleParser;
import dev.finetune.dataset.domain.RetrainingState;
import dev.finetune.dataset.domain.Split;
import dev.finetune.dataset.domain.VersionBuilder;
import dev.finetune.dataset.domain.VersionStats;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Datasets in the {@code datasets} bucket, laid out as {@link DatasetLayout} says: per dataset its
 * {@code settings.json}, {@code HEAD}, the examples streamed in since the last version ({@value #INCOMING}) and what
 * automatic retraining needs ({@value #LAST_TRAINING}, {@value #RETRAINING}); per version the three split files,
 * {@value #REPORT}, {@value #STATS}, {@value #CARD} and, written last, the manifest; then HEAD moves. A failure part-way leaves no version behind.
 */
@ApplicationScoped
public class DatasetStore {

    /** The cleaning report of the input that made a version. */
    public static final String REPORT = "report.json";
    public static final String STATS = DatasetLayout.STATS;
    public static final String CARD = "card.md";
    /** Streamed examples waiting for automatic retraining, one object each. */
    public static final String INCOMING = "incoming/";
    public static final String LAST_TRAINING = "last-training.json";
    public static final String RETRAINING = "retraining.json";

    private final ObjectStore store;
    private final ObjectMapper mapper;

    public DatasetStore(ObjectStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    public Optional<DatasetSettings> settings(String dataset) {
        return readJson(DatasetLayout.settings(dataset), DatasetSettings.class);
    }

    public void putSettings(String dataset, DatasetSettings settings) {
        putJson(DatasetLayout.settings(dataset), settings);
    }

    public Optional<CleaningReport> report(DatasetRef ref) {
        return readJson(DatasetLayout.file(ref, REPORT), CleaningReport.class);
    }

    public Optional<VersionStats> stats(DatasetRef ref) {
        return readJson(DatasetLayout.stats(ref), VersionStats.class);
    }

    public Optional<String> card(DatasetRef ref) {
        S3Uri uri = DatasetLayout.file(ref, CARD);
        return store.exists(uri) ? Optional.of(new String(store.readBytes(uri), StandardCharsets.UTF_8))
                : Optional.empty();
    }

    public Optional<DatasetVersionCreated> find(DatasetRef ref) {
        return DatasetLayout.readManifest(store, ref);
    }

    public Optional<String> headVersion(String dataset) {
        S3Uri head = DatasetLayout.head(dataset);
        return store.exists(head) ? Optional.of(new String(store.readBytes(head), StandardCharsets.UTF_8).trim())
                : Optional.empty();
    }

    /** The version HEAD names: the newest one made. */
    public Optional<DatasetVersionCreated> head(String dataset) {
        return headVersion(dataset).flatMap(v -> find(new DatasetRef(dataset, v)));
    }

    /** Every stored version of a dataset, oldest first. */
    public List<DatasetVersionCreated> versions(String dataset) {
        return store.list(Buckets.DATASETS, dataset + "/").stream()
                .filter(key -> key.endsWith("/" + DatasetLayout.MANIFEST))
                .map(key -> key.substring(dataset.length() + 1, key.length() - DatasetLayout.MANIFEST.length() - 1))
                .filter(version -> !version.contains("/"))
                .map(version -> find(new DatasetRef(dataset, version)))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(DatasetVersionCreated::occurredAt))
                .toList();
    }

    /** Streams the examples of one split of a stored version, in file order. */
    public void readSplit(DatasetVersionCreated version, Split split, Consumer<Example> sink) {
        S3Uri uri = DatasetLayout.file(version.dataset(), split.fileName());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(store.open(uri), StandardCharsets.UTF_8),
                1 << 16)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    sink.accept(ExampleParser.fromStoredRow(version.task(), mapper.readTree(line), mapper));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores a built version: splits, report, stats and card, then the manifest, then HEAD; returns its record.
     */
    public DatasetVersionCreated save(String dataset, VersionBuilder.Built built, VersionStats stats) {
        DatasetRef ref = new DatasetRef(dataset, built.version());
        SplitArtifact[] splits = new SplitArtifact[Split.values().length];
        for (Split s : Split.values()) {
            splits[s.ordinal()] = new SplitArtifact(store.putFile(DatasetLayout.file(ref, s.fileName()),
                    built.files().get(s), "application/x-ndjson"), built.counts().get(s));
        }
        putJson(DatasetLayout.file(ref, REPORT), stats.cleaning());
        putJson(DatasetLayout.stats(ref), stats);
        DatasetVersionCreated created = new DatasetVersionCreated(
                DatasetVersionCreated.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), ref, stats.parentVersion(),
                stats.settings().task(), built.labels(), splits[0], splits[1], splits[2], built.contentSha256(),
                stats.cleaning().rejected(), stats.settings().baselinePrompt(), stats.createdBy());
        store.putBytes(DatasetLayout.file(ref, CARD), DatasetCard.markdown(created, stats)
                .getBytes(StandardCharsets.UTF_8), "text/markdown; charset=utf-8");
        store.putEvent(DatasetLayout.manifest(ref), created);
        store.putBytes(DatasetLayout.head(dataset), built.version().getBytes(StandardCharsets.UTF_8), "text/plain");
        return created;
    }

    /** Keeps one streamed example, under its event id, until automatic retraining folds it into a version. */
    public void putIncoming(String dataset, UUID eventId, Example example) {
        putJson(new S3Uri(Buckets.DATASETS, dataset + "/" + INCOMING + eventId + ".json"), example.row());
    }

    /** Object keys of the examples waiting to be folded into a version. */
    public List<String> incomingKeys(String dataset) {
        return store.list(Buckets.DATASETS, dataset + "/" + INCOMING).stream().sorted().toList();
    }

    public Example incoming(TaskType task, String key) {
        try {
            return ExampleParser.fromStoredRow(task, mapper.readTree(store.readBytes(new S3Uri(Buckets.DATASETS, key))),
                    mapper);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read s3://" + Buckets.DATASETS + "/" + key, e);
        }
    }

    public void deleteIncoming(List<String> keys) {
        keys.forEach(key -> store.delete(new S3Uri(Buckets.DATASETS, key)));
    }

    /** The last successful training job on any version of the dataset, as the trainer announced it. */
    public Optional<TrainingCompleted> lastTraining(String dataset) {
        return store.findEvent(new S3Uri(Buckets.DATASETS, dataset + "/" + LAST_TRAINING), TrainingCompleted.class);
    }

    public void putLastTraining(String dataset, TrainingCompleted completed) {
        store.putEvent(new S3Uri(Buckets.DATASETS, dataset + "/" + LAST_TRAINING), completed);
    }

    public Optional<RetrainingState> retraining(String dataset) {
        return readJson(new S3Uri(Buckets.DATASETS, dataset + "/" + RETRAINING), RetrainingState.class);
    }

    public void putRetraining(String dataset, RetrainingState state) {
        putJson(new S3Uri(Buckets.DATASETS, dataset + "/" + RETRAINING), state);
    }

    <T> Optional<T> readJson(S3Uri uri, Class<T> type) {
        if (!store.exists(uri)) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readValue(store.readBytes(uri), type));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    void putJson(S3Uri uri, Object value) {
        try {
            store.putBytes(uri, mapper.writeValueAsBytes(value), "application/json");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
