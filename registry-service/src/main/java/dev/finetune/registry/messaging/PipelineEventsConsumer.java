package dev.finetune.registry.messaging;

import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.ModelPromoted;
import dev.finetune.contracts.events.ModelRegistered;
import dev.finetune.contracts.events.PlatformEvent;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.registry.domain.Registry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

/**
 * Records every step of every job from the pipeline's topics. Each method is thin: decode (a bad event
 * throws and goes to the topic's DLQ with the reason), then apply it in one transaction. The topics are
 * consumed concurrently, so two events of one job can race for its row: the loser's transaction hits the
 * unique key or the row's optimistic-lock version, and applying it again sees the winner's change.
 */
@ApplicationScoped
public class PipelineEventsConsumer {

    private static final Logger LOG = Logger.getLogger(PipelineEventsConsumer.class);

    /**
     * How long an evaluation may wait for its training outcome to be recorded (they travel on two topics and
     * the registry may be catching up on a backlog); past it, the evaluation goes to the DLQ with the reason.
     */
    static final Duration EVALUATION_WAIT = Duration.ofMinutes(10);
    /** PostgreSQL's SQLSTATE for a unique-key violation. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int CONFLICT_ATTEMPTS = 5;

    private final Registry registry;
    private final RegistryEvents events;

    public PipelineEventsConsumer(Registry registry, RegistryEvents events) {
        this.registry = registry;
        this.events = events;
    }

    @Incoming(Topics.DATASET_VERSIONS)
    @Blocking
    public void onDatasetVersion(String json) {
        DatasetVersionCreated event = EventCodec.decode(json, DatasetVersionCreated.class);
        apply(() -> registry.recordDataset(event, Topics.DATASET_VERSIONS));
    }

    @Incoming(Topics.TRAINING_REQUESTS)
    @Blocking
    public void onTrainingRequested(String json) {
        TrainingRequested event = EventCodec.decode(json, TrainingRequested.class);
        apply(() -> registry.recordRequest(event, Topics.TRAINING_REQUESTS));
    }

    @Incoming(Topics.TRAINING_PROGRESS)
    @Blocking
    public void onTrainingProgress(String json) {
        TrainingProgress event = EventCodec.decode(json, TrainingProgress.class);
        apply(() -> registry.recordProgress(event, Topics.TRAINING_PROGRESS));
    }

    @Incoming(Topics.TRAINING_COMPLETED)
    @Blocking
    public void onTrainingCompleted(String json) {
        TrainingCompleted event = EventCodec.decode(json, TrainingCompleted.class);
        publish(apply(() -> registry.recordTraining(event, Topics.TRAINING_COMPLETED)));
    }

    @Incoming(Topics.EVALUATION_COMPLETED)
    @Blocking
    public void onEvaluationCompleted(String json) {
        EvaluationCompleted evaluation = EventCodec.decode(json, EvaluationCompleted.class);
        long deadline = System.nanoTime() + EVALUATION_WAIT.toNanos();
        while (true) {
            try {
                publish(apply(() -> registry.recordEvaluation(evaluation)));
                return;
            } catch (Registry.VersionNotRecordedYet e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    /** Publishes the facts a transaction recorded: registered and promoted model versions. */
    private void publish(List<? extends PlatformEvent> facts) {
        for (PlatformEvent fact : facts) {
            if (fact instanceof ModelRegistered registered) {
                events.modelRegistered(registered);
                LOG.infof("registered %s version %d (job %s)", registered.modelName(),
                        registered.version(), registered.jobId());
            } else if (fact instanceof ModelPromoted promoted) {
                events.modelPromoted(promoted);
                LOG.infof("%s version %d: %s -> %s by %s (%s)", promoted.modelName(), promoted.version(),
                        promoted.fromStage(), promoted.toStage(), promoted.changedBy(), promoted.reason());
            }
        }
    }

    private static void apply(Runnable transaction) {
        apply(() -> {
            transaction.run();
            return null;
        });
    }

    /** Runs a registry transaction, again after losing a race on a unique key or a row version. */
    private static <T> T apply(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= CONFLICT_ATTEMPTS || !isConflict(e)) {
                    throw e;
                }
                LOG.debugf("retrying after a unique-key conflict: %s", e.getMessage());
            }
        }
    }

    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException
                    || (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a training outcome", e);
        }
    }
}
