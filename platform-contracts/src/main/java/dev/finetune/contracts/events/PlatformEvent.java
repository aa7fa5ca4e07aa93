package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What every event on a platform topic carries: its schema version, a unique id, the time it happened,
 * and its business key, which is also the Kafka record key so that one entity's events stay in order.
 */
public interface PlatformEvent {

    int schemaVersion();

    UUID eventId();

    Instant occurredAt();

    /** The business key (job id, dataset name...) used as the Kafka record key. */
    String key();

    /** Every problem that makes this event invalid, each naming its field; empty when the event is valid. */
    List<String> problems();
}
