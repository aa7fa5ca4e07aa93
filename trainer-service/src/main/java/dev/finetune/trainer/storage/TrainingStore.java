package dev.finetune.trainer.storage;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.SplitArtifact;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.DatasetLayout;
import dev.finetune.contracts.storage.JsonLines;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import jakarta.enterprise.context.ApplicationScoped;
import dev.finetune.lm.training.CheckpointStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the trainer reads and writes in object storage. A job's outputs live under {@code models/<jobId>/}:
 * the model folder under {@code model/}, resumable training states under {@code checkpoints/} while it runs and,
 * once the job has ended, {@code completed.json} holding its {@link TrainingCompleted} record, which makes a
 * redelivered request cheap to answer.
 */
@ApplicationScoped
public class TrainingStore {

    private final ObjectStore store;

    public TrainingStore(ObjectStore store) {
        this.store = store;
    }

    public Optional<TrainingCompleted> completed(String jobId) {
        return store.findEvent(completedUri(jobId), TrainingCompleted.class);
    }

    public void saveCompleted(TrainingCompleted completed) {
        store.putEvent(completedUri(completed.jobId()), completed);
    }

    /** The dataset version's record, or empty when no such version was stored. */
    public Optional<DatasetVersionCreated> datasetVersion(DatasetRef ref) {
        return DatasetLayout.readManifest(store, ref);
    }

    /** A split's rows, after checking the stored bytes against the split's sha256. */
    public List<Map<String, Object>> rows(SplitArtifact split) {
        return JsonLines.read(store.readVerified(split.artifact()));
    }

    /** Uploads a saved model folder; the reference points at its manifest.json. */
    public ArtifactRef uploadModel(String jobId, Path modelDir) {
        S3Uri prefix = new S3Uri(Buckets.MODELS, jobId + "/model");
        return store.putFolder(modelDir, prefix).stream()
                .filter(ref -> ref.uri().endsWith("/manifest.json"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the saved model in " + modelDir + " has no manifest.json"));
    }

    /** The job's resumable training states, kept under {@code models/<jobId>/checkpoints/}. */
    public CheckpointStore checkpoints(String jobId, Path workDir) {
        return new ObjectStoreCheckpoints(store, jobId, workDir);
    }

    /** Deletes a finished job's training states. */
    public void deleteCheckpoints(String jobId) {
        new ObjectStoreCheckpoints(store, jobId, Path.of(".")).deleteAll();
    }

    private static S3Uri completedUri(String jobId) {
        return new S3Uri(Buckets.MODELS, jobId + "/completed.json");
    }
}
