package dev.finetune.registry.messaging;

import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.registry.domain.Registry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records every step of every job from the pipeline's topics. Each method is thin: decode (a bad event
 * throws and goes to the topic's DLQ with the reason), then apply it in one transaction.
 */
@ApplicationScoped
public class PipelineEventsConsumer {

    private static final Logger LOG = Logger.getLogger(PipelineEventsConsumer.class);

    /** How long an evaluation may wait for its training outcome to be recorded (they travel on two topics). */
    static final Duration EVALUATION_WAIT = Duration.ofSeconds(60);

    private final Registry registry;
    private final RegistryEvents events;

    public PipelineEventsConsumer(Registry registry, RegistryEvents events) {
        this.registry = registry;
        this.events = events;
    }

    @Incoming(Topics.DATASET_VERSIONS)
    @Blocking
    public void onDatasetVersion(String json) {
        registry.recordDataset(EventCodec.decode(json, DatasetVersionCreated.class), Topics.DATASET_VERSIONS);
    }

    @Incoming(Topics.TRAINING_REQUESTS)
    @Blocking
    public void onTrainingRequested(String json) {
        registry.recordRequest(EventCodec.decode(json, TrainingRequested.class), Topics.TRAINING_REQUESTS);
    }

    @Incoming(Topics.TRAINING_PROGRESS)
    @Blocking
    public void onTrainingProgress(String json) {
        registry.recordProgress(EventCodec.decode(json, TrainingProgress.class), Topics.TRAINING_PROGRESS);
    }

    @Incoming(Topics.TRAINING_COMPLETED)
    @Blocking
    public void onTrainingCompleted(String json) {
        registry.recordTraining(EventCodec.decode(json, TrainingCompleted.class), Topics.TRAINING_COMPLETED);
    }

    @Incoming(Topics.EVALUATION_COMPLETED)
    @Blocking
    public void onEvaluationCompleted(String json) throws InterruptedException {
        EvaluationCompleted evaluation = EventCodec.decode(json, EvaluationCompleted.class);
        long deadline = System.nanoTime() + EVALUATION_WAIT.toNanos();
        while (true) {
            try {
                registry.recordEvaluation(evaluation, Topics.EVALUATION_COMPLETED).ifPresent(registered -> {
                    events.modelRegistered(registered);
                    LOG.infof("registered %s version %d (job %s)", registered.modelName(), registered.version(),
                            registered.jobId());
                });
                return;
            } catch (Registry.VersionNotRecordedYet e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
