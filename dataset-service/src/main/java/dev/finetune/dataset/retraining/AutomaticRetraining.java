package dev.finetune.dataset.retraining;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.dataset.domain.DatasetSettings;
import dev.finetune.dataset.domain.Example;
import dev.finetune.dataset.domain.RetrainingPolicy;
import dev.finetune.dataset.domain.RetrainingState;
import dev.finetune.dataset.domain.VersionStats;
import dev.finetune.dataset.ingest.DatasetVersions;
import dev.finetune.dataset.messaging.DatasetEvents;
import dev.finetune.dataset.storage.DatasetStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Applies a dataset's {@link RetrainingPolicy} when new labeled data arrives (streamed or uploaded): once enough
 * examples have been added since the version the last successful model was trained on, and the last automatic
 * request is older than the policy's interval, the streamed examples waiting in {@code incoming/} are folded into a
 * new version on top of HEAD and {@link TrainingRequested} is published for it with the last successful job's
 * configuration, {@code requestedBy = dataset-service} and the reason in words.
 *
 * <p>Safe to repeat: the job id is derived from the dataset version, so a check repeated after a crash (the waiting
 * examples are deleted last) asks for the same job again, and the trainer answers a repeated job id from its record.
 */
@ApplicationScoped
public class AutomaticRetraining {

    public static final String REQUESTED_BY = "dataset-service";
    private static final Logger LOG = Logger.getLogger(AutomaticRetraining.class);
    /** How far back the parent chain is followed when counting new examples. */
    private static final int MAX_CHAIN = 1000;

    private final DatasetStore datasets;
    private final DatasetVersions versions;
    private final DatasetEvents events;

    public AutomaticRetraining(DatasetStore datasets, DatasetVersions versions, DatasetEvents events) {
        this.datasets = datasets;
        this.versions = versions;
        this.events = events;
    }

    /** Requests a training job when the dataset's policy is met; returns it, or empty when it is not. */
    public synchronized Optional<TrainingRequested> check(String dataset) {
        DatasetSettings settings = versions.settings(dataset, DatasetSettings.NONE);
        RetrainingPolicy policy = settings.retraining();
        if (!policy.enabled()) {
            return Optional.empty();
        }
        Optional<TrainingCompleted> last = datasets.lastTraining(dataset);
        if (last.isEmpty()) {
            LOG.debugf("dataset %s: no successful training yet, nothing to retrain", dataset);
            return Optional.empty();
        }
        String trainedVersion = last.get().request().dataset().version();
        List<String> incoming = datasets.incomingKeys(dataset);
        int newExamples = incoming.size() + addedSince(dataset, trainedVersion);
        if (newExamples < policy.minNewExamples()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        Optional<RetrainingState> previous = datasets.retraining(dataset);
        if (previous.isPresent() && previous.get().requestedAt().plus(policy.interval()).isAfter(now)) {
            LOG.debugf("dataset %s: %d new examples, but the last automatic job was requested at %s", dataset,
                    newExamples, previous.get().requestedAt());
            return Optional.empty();
        }
        Optional<DatasetVersionCreated> version = incoming.isEmpty()
                ? datasets.head(dataset) : fold(dataset, settings, incoming);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        TrainingRequested template = last.get().request();
        String reason = "automatic retraining: " + newExamples + " new labeled examples since version "
                + trainedVersion + " (policy: " + policy.describe() + ")";
        TrainingRequested request = new TrainingRequested(TrainingRequested.SCHEMA_VERSION, UUID.randomUUID(), now,
                jobId(dataset, version.get().dataset().version()), template.modelName(), version.get().dataset(),
                template.baseModel(), template.method(), template.hyperparameters(), REQUESTED_BY, reason);
        events.trainingRequested(request);
        datasets.putRetraining(dataset, new RetrainingState(now, request.jobId(),
                version.get().dataset().version(), reason));
        datasets.deleteIncoming(incoming);
        LOG.infof("dataset %s: requested job %s: %s", dataset, request.jobId(), reason);
        return Optional.of(request);
    }

    /** The job id of automatic retraining on a version: at most 64 characters, as job ids must be. */
    static String jobId(String dataset, String version) {
        String suffix = "-auto-" + version;
        return dataset.substring(0, Math.min(dataset.length(), 64 - suffix.length())) + suffix;
    }

    private Optional<DatasetVersionCreated> fold(String dataset, DatasetSettings settings, List<String> keys) {
        List<Example> examples = keys.stream().map(key -> datasets.incoming(settings.task(), key)).toList();
        DatasetVersions.Outcome outcome = versions.append(dataset, examples, "labeled-examples", REQUESTED_BY);
        if (outcome instanceof DatasetVersions.Stored stored) {
            return Optional.of(stored.version());
        }
        DatasetVersions.Rejected rejected = (DatasetVersions.Rejected) outcome;
        LOG.warnf("dataset %s: %d streamed examples cannot be made a version: %s %s", dataset, examples.size(),
                rejected.error(), rejected.problems());
        return Optional.empty();
    }

    /** Examples added by the versions after {@code trainedVersion}, following HEAD's parents back to it. */
    private int addedSince(String dataset, String trainedVersion) {
        int added = 0;
        Optional<String> version = datasets.headVersion(dataset);
        for (int i = 0; i < MAX_CHAIN && version.isPresent() && !version.get().equals(trainedVersion); i++) {
            Optional<VersionStats> stats = datasets.stats(new DatasetRef(dataset, version.get()));
            if (stats.isEmpty()) {
                break;
            }
            added += stats.get().added();
            version = Optional.ofNullable(stats.get().parentVersion());
        }
        return added;
    }
}
