package dev.finetune.dataset.messaging;

import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes dataset-service's facts, keyed by dataset name. */
@ApplicationScoped
public class DatasetEvents {

    private final MutinyEmitter<String> versions;

    public DatasetEvents(@Channel(Topics.DATASET_VERSIONS) MutinyEmitter<String> versions) {
        this.versions = versions;
    }

    /** Sends and waits for the broker's acknowledgement, so a 201 means the event is durable. */
    public void versionCreated(DatasetVersionCreated event) {
        versions.sendMessageAndAwait(KafkaRecord.of(event.key(), EventCodec.encode(event)));
    }
}
