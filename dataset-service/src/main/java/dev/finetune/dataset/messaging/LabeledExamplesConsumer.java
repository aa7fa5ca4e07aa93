package dev.finetune.dataset.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.LabeledExampleReceived;
import dev.finetune.contracts.events.Topics;
import dev.finetune.dataset.domain.DatasetSettings;
import dev.finetune.dataset.domain.Example;
import dev.finetune.dataset.ingest.DatasetVersions;
import dev.finetune.dataset.retraining.AutomaticRetraining;
import dev.finetune.dataset.storage.DatasetStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Validates each streamed labeled example against its dataset's settings, keeps it under
 * {@code datasets/<name>/incoming/<eventId>.json} (so a redelivered event is kept once), and lets automatic
 * retraining decide whether enough has arrived. An event that cannot be parsed, or whose example is invalid, throws:
 * the channel's failure strategy sends it to {@code labeled-examples.dlq} with the reason.
 */
@ApplicationScoped
public class LabeledExamplesConsumer {

    private final DatasetStore datasets;
    private final DatasetVersions versions;
    private final AutomaticRetraining retraining;
    private final ObjectMapper mapper;

    public LabeledExamplesConsumer(DatasetStore datasets, DatasetVersions versions, AutomaticRetraining retraining,
                                   ObjectMapper mapper) {
        this.datasets = datasets;
        this.versions = versions;
        this.retraining = retraining;
        this.mapper = mapper;
    }

    @Incoming(Topics.LABELED_EXAMPLES)
    @Blocking
    public void onExample(String json) {
        LabeledExampleReceived event = EventCodec.decode(json, LabeledExampleReceived.class);
        DatasetSettings settings = versions.settings(event.dataset(), DatasetSettings.NONE);
        Example example;
        try {
            example = versions.parser(settings).parseRecord(mapper.valueToTree(event.example()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid LabeledExampleReceived for dataset " + event.dataset()
                    + ": example: " + e.getMessage(), e);
        }
        datasets.putIncoming(event.dataset(), event.eventId(), example);
        retraining.check(event.dataset());
    }
}
