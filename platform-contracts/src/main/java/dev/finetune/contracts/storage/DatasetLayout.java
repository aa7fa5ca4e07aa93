package dev.finetune.contracts.storage;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import java.util.Optional;

/**
 * Where dataset versions live in the {@code datasets} bucket, for the service that writes them and the
 * services that read them:
 * <pre>
 * datasets/&lt;name&gt;/&lt;version&gt;/train.jsonl, validation.jsonl, test.jsonl
 * datasets/&lt;name&gt;/&lt;version&gt;/manifest.json   the DatasetVersionCreated record, written last
 * datasets/&lt;name&gt;/HEAD                        the newest version's id
 * </pre>
 * A version exists once its manifest exists.
 */
public final class DatasetLayout {

    public static final String MANIFEST = "manifest.json";
    /** A version's statistics and cleaning report (dataset-service writes it; the dashboard shows it). */
    public static final String STATS = "stats.json";

    private DatasetLayout() {
    }

    public static S3Uri manifest(DatasetRef ref) {
        return file(ref, MANIFEST);
    }

    public static S3Uri file(DatasetRef ref, String fileName) {
        return new S3Uri(Buckets.DATASETS, ref.name() + "/" + ref.version() + "/" + fileName);
    }

    /** The dataset's settings (dataset-service owns them; the evaluator reads the baseline prompt there). */
    public static S3Uri stats(DatasetRef ref) {
        return file(ref, STATS);
    }

    public static S3Uri settings(String dataset) {
        return new S3Uri(Buckets.DATASETS, dataset + "/settings.json");
    }

    public static S3Uri head(String dataset) {
        return new S3Uri(Buckets.DATASETS, dataset + "/HEAD");
    }

    /** The version's record, or empty when no such version was stored. */
    public static Optional<DatasetVersionCreated> readManifest(ObjectStore store, DatasetRef ref) {
        return store.findEvent(manifest(ref), DatasetVersionCreated.class);
    }
}
