package dev.finetune.contracts.events;

import dev.finetune.contracts.tasks.TaskSpec;
import dev.finetune.contracts.tasks.TaskSpecs;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A task file was applied (a new revision, or the same one again), keyed by the task's name. Services that own
 * part of what a task states follow it: dataset-service keeps the task's dataset settings (fields, split ratios,
 * labels, the prompt-only baseline, automatic retraining).
 */
public record TaskRevised(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String name,
        int revision,
        TaskSpec spec,
        String appliedBy) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return name;
    }

    @Override
    public List<String> problems() {
        Problems p = Problems.ofEnvelope(schemaVersion, SCHEMA_VERSION, eventId, occurredAt)
                .name(name, "name")
                .check(revision >= 1, "revision", "must be at least 1")
                .notBlank(appliedBy, "appliedBy")
                .notNull(spec, "spec");
        if (spec != null) {
            p.nested("spec", TaskSpecs.read(TaskSpecs.toJson(spec)).problems());
            p.check(name == null || name.equals(spec.name()), "spec.name", "must be the event's name");
        }
        return p.toList();
    }
}
