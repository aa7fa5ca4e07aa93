package dev.finetune.dataset.messaging;

import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.dataset.storage.DatasetStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Remembers, per dataset, the newest successful training job: automatic retraining repeats its request on new
 * versions and counts new examples from the version it trained on. Failed jobs are not remembered.
 */
@ApplicationScoped
public class TrainingOutcomesConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingOutcomesConsumer.class);

    private final DatasetStore datasets;

    public TrainingOutcomesConsumer(DatasetStore datasets) {
        this.datasets = datasets;
    }

    @Incoming(Topics.TRAINING_COMPLETED)
    @Blocking
    public void onCompleted(String json) {
        TrainingCompleted completed = EventCodec.decode(json, TrainingCompleted.class);
        if (completed.outcome() != JobOutcome.SUCCEEDED) {
            return;
        }
        String dataset = completed.request().dataset().name();
        boolean newer = datasets.lastTraining(dataset)
                .map(last -> last.occurredAt().isBefore(completed.occurredAt())).orElse(true);
        if (newer) {
            datasets.putLastTraining(dataset, completed);
            LOG.infof("dataset %s: last successful training is now job %s on version %s", dataset,
                    completed.jobId(), completed.request().dataset().version());
        }
    }
}
