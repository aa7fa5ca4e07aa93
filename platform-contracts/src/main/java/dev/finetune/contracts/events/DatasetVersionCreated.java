package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A new immutable version of a dataset was stored, with its three splits, keyed by the dataset's name.
 *
 * @param contentSha256 sha256 over the version's normalised examples: equal content, equal hash
 * @param labels        the label set of a classification dataset, sorted; empty otherwise
 * @param baselinePrompt the dataset's prompt for the base model without fine-tuning, with {@code {text}},
 *                       {@code {instruction}} or {@code {input}} where a row's field goes; null when the dataset has
 *                       none. The evaluator scores it on the test split next to the fine-tuned model.
 * @param createdBy      who made the version: the uploader's token name, or {@code dataset-service} for streamed
 *                       examples folded in by automatic retraining; null in versions made before it was recorded
 */
public record DatasetVersionCreated(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        DatasetRef dataset,
        String parentVersion,
        TaskType task,
        List<String> labels,
        SplitArtifact train,
        SplitArtifact validation,
        SplitArtifact test,
        String contentSha256,
        int rejectedRecords,
        String baselinePrompt,
        String createdBy) implements PlatformEvent {

    public static final int SCHEMA_VERSION = 1;

    /** A version without a baseline prompt. */
    public DatasetVersionCreated(int schemaVersion, UUID eventId, Instant occurredAt, DatasetRef dataset,
                                 String parentVersion, TaskType task, List<String> labels, SplitArtifact train,
                                 SplitArtifact validation, SplitArtifact test, String contentSha256,
                                 int rejectedRecords) {
        this(schemaVersion, eventId, occurredAt, dataset, parentVersion, task, labels, train, validation, test,
                contentSha256, rejectedRecords, null, null);
    }

    @Override
    public String key() {
        return dataset == null ? null : dataset.name();
    }

    @Override
    public List<String> problems() {
        Problems p = Problems.ofEnvelope(schemaVersion, SCHEMA_VERSION, eventId, occurredAt)
                .notNull(dataset, "dataset")
                .notNull(task, "task")
                .notNull(train, "train")
                .notNull(validation, "validation")
                .notNull(test, "test")
                .notBlank(contentSha256, "contentSha256");
        if (dataset != null) {
            p.nested("dataset", dataset.problems());
        }
        if (train != null) {
            p.nested("train", train.problems());
        }
        if (validation != null) {
            p.nested("validation", validation.problems());
        }
        if (test != null) {
            p.nested("test", test.problems());
        }
        return p.toList();
    }
}
