package dev.finetune.dataset.messaging;

import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.LabeledExampleReceived;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps each streamed labeled example under {@code datasets/<name>/incoming/<eventId>.json}, where automatic
 * retraining is to fold them into the dataset's next version (not built yet: nothing reads them today).
 * Keyed by event id, so a redelivered event is stored once. An event
 * that cannot be parsed or validated throws, and the channel's failure strategy sends it to the DLQ.
 */
@ApplicationScoped
public class LabeledExamplesConsumer {

    private final ObjectStore store;

    public LabeledExamplesConsumer(ObjectStore store) {
        this.store = store;
    }

    @Incoming(Topics.LABELED_EXAMPLES)
    @Blocking
    public void onExample(String json) {
        LabeledExampleReceived event = EventCodec.decode(json, LabeledExampleReceived.class);
        Object text = event.example().get("text");
        if (!(text instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("invalid LabeledExampleReceived: example.text: is required and must be a string");
        }
        S3Uri uri = new S3Uri(Buckets.DATASETS, event.dataset() + "/incoming/" + event.eventId() + ".json");
        store.putBytes(uri, EventCodec.encode(event).getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
