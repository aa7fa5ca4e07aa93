package dev.finetune.dataset.messaging;

import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.PlatformEvent;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingRequested;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes dataset-service's facts (new versions, keyed by dataset name) and the training requests of automatic
 * retraining (keyed by job id). Each send waits for the broker's acknowledgement, so what follows it may rely on
 * the event being durable.
 */
@ApplicationScoped
public class DatasetEvents {

    private final MutinyEmitter<String> versions;
    private final MutinyEmitter<String> trainingRequests;

    public DatasetEvents(@Channel(Topics.DATASET_VERSIONS) MutinyEmitter<String> versions,
                         @Channel(Topics.TRAINING_REQUESTS) MutinyEmitter<String> trainingRequests) {
        this.versions = versions;
        this.trainingRequests = trainingRequests;
    }

    public void versionCreated(DatasetVersionCreated event) {
        send(versions, event);
    }

    public void trainingRequested(TrainingRequested event) {
        send(trainingRequests, event);
    }

    private static void send(MutinyEmitter<String> emitter, PlatformEvent event) {
        emitter.sendMessageAndAwait(KafkaRecord.of(event.key(), EventCodec.encode(event)));
    }
}
