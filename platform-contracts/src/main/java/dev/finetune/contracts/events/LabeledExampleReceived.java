package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One newly labeled example streamed onto {@code labeled-examples}, keyed by its dataset's name. */
public record LabeledExampleReceived(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String dataset,
        Map<String, Object> example,
        String source) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    public static LabeledExampleReceived of(String dataset, Map<String, Object> example, String source) {
        return new LabeledExampleReceived(SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), dataset, example, source);
    }

    @Override
    public String key() {
        return dataset;
    }

    @Override
    public List<String> problems() {
        return Problems.ofEnvelope(schemaVersion, SCHEMA_VERSION, eventId, occurredAt)
                .name(dataset, "dataset")
                .check(example != null && !example.isEmpty(), "example", "is required and must not be empty")
                .toList();
    }
}
