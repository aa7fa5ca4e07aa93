package dev.finetune.trainer.storage;

import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.LocalFiles;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.lm.training.CheckpointStore;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's resumable training states in object storage, under {@code models/<jobId>/checkpoints/step-NNNNNNNN/}.
 *
 * <p>Any trainer replica that receives the job again (a crash, a rebalance of the consumer group) resumes from the
 * latest one. A checkpoint counts once its {@code COMPLETE} marker is stored, written after all its files; older
 * checkpoints are deleted after a newer one completes.
 */
final class ObjectStoreCheckpoints implements CheckpointStore {

    private static final Pattern MARKER = Pattern.compile(".*/checkpoints/(step-\\d{8})/COMPLETE");

    private final ObjectStore store;
    private final String prefix;
    private final Path workDir;

    ObjectStoreCheckpoints(ObjectStore store, String jobId, Path workDir) {
        this.store = store;
        this.prefix = jobId + "/checkpoints";
        this.workDir = workDir;
    }

    @Override
    public Optional<Path> latest() {
        return latestName().map(name -> store.downloadFolder(uri(name), workDir.resolve("resume-" + name)));
    }

    private Optional<String> latestName() {
        return store.list(Buckets.MODELS, prefix + "/").stream()
                .map(MARKER::matcher)
                .filter(Matcher::matches)
                .map(matcher -> matcher.group(1))
                .max(Comparator.naturalOrder());
    }

    @Override
    public void save(int step, Path folder) {
        String name = String.format("step-%08d", step);
        Optional<String> previous = latestName();
        store.putFolder(folder, uri(name));
        store.putBytes(new S3Uri(Buckets.MODELS, prefix + "/" + name + "/COMPLETE"), new byte[0], "text/plain");
        previous.filter(old -> !old.equals(name)).ifPresent(old -> store.deleteFolder(uri(old)));
        LocalFiles.deleteQuietly(folder);
    }

    /** Deletes every checkpoint of the job: a finished job needs none. */
    void deleteAll() {
        store.deleteFolder(new S3Uri(Buckets.MODELS, prefix));
    }

    private S3Uri uri(String name) {
        return new S3Uri(Buckets.MODELS, prefix + "/" + name);
    }
}
