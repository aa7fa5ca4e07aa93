package dev.finetune.registry.messaging;

import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingProgress;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Every progress snapshot as it is published, for the dashboard's live curves. The registry's own consumer group
 * splits {@code training-progress} between its replicas, so a replica would miss the jobs on the others'
 * partitions; this channel reads the topic in a group of its own per replica (a fresh id at each start, from the
 * newest offset), so every replica sees every job. Nothing is stored here: the stored curve comes from
 * {@link PipelineEventsConsumer}.
 */
@ApplicationScoped
public class LiveProgress {

    /** The channel that follows {@value Topics#TRAINING_PROGRESS} for this replica alone. */
    public static final String CHANNEL = "training-progress-live";
    private static final Logger LOG = Logger.getLogger(LiveProgress.class);

    private final BroadcastProcessor<TrainingProgress> snapshots = BroadcastProcessor.create();

    @Incoming(CHANNEL)
    public void onProgress(String json) {
        try {
            snapshots.onNext(EventCodec.decode(json, TrainingProgress.class));
        } catch (RuntimeException e) {
            // the registry's own consumer sends it to the DLQ with the reason; the live view just skips it
            LOG.debugf("live progress: skipped an invalid event: %s", e.getMessage());
        }
    }

    /** The snapshots of one job from now on. */
    public Multi<TrainingProgress> of(String jobId) {
        return snapshots.filter(p -> p.jobId().equals(jobId));
    }
}
