package dev.finetune.contracts.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one home of topic names, their record types, partitions and retention. Channel names equal topic
 * names; the local stack creates topics from this list, and a test checks that docker-compose.yml and k8s/
 * agree with it.
 */
public final class Topics {

    public static final String LABELED_EXAMPLES = "labeled-examples";
    public static final String DATASET_VERSIONS = "dataset-versions";
    public static final String TRAINING_REQUESTS = "training-requests";
    public static final String TRAINING_PROGRESS = "training-progress";
    public static final String TRAINING_COMPLETED = "training-completed";
    public static final String EVALUATION_COMPLETED = "evaluation-completed";
    public static final String MODEL_REGISTERED = "model-registered";
    public static final String MODEL_PROMOTED = "model-promoted";
    public static final String TASK_REVISIONS = "task-revisions";

    /** Suffix of the dead-letter topic that receives what a consumer of the base topic could not handle. */
    public static final String DLQ_SUFFIX = ".dlq";

    /** How long a dead letter is kept: long enough to notice, investigate and replay. */
    public static final Duration DLQ_RETENTION = Duration.ofDays(14);

    /**
     * One topic.
     *
     * @param partitions the unit of parallelism: trainer replicas share {@code training-requests} as one
     *                   consumer group, so it has room for several
     * @param consumed   whether some service consumes it, and so whether it has a dead-letter topic
     */
    public record Topic(String name, Class<? extends PlatformEvent> recordType, String key, int partitions,
                        Duration retention, boolean consumed) {

        public String dlq() {
            return name + DLQ_SUFFIX;
        }

        /** A dead-letter topic has its topic's partitions: dead letters keep their key, and so their order. */
        public int dlqPartitions() {
            return partitions;
        }
    }

    public static final List<Topic> ALL = List.of(
            new Topic(LABELED_EXAMPLES, LabeledExampleReceived.class, "dataset", 3, Duration.ofDays(30), true),
            new Topic(DATASET_VERSIONS, DatasetVersionCreated.class, "dataset", 3, Duration.ofDays(30), true),
            new Topic(TRAINING_REQUESTS, TrainingRequested.class, "jobId", 6, Duration.ofDays(7), true),
            new Topic(TRAINING_PROGRESS, TrainingProgress.class, "jobId", 3, Duration.ofDays(7), true),
            new Topic(TRAINING_COMPLETED, TrainingCompleted.class, "jobId", 3, Duration.ofDays(30), true),
            new Topic(EVALUATION_COMPLETED, EvaluationCompleted.class, "jobId", 3, Duration.ofDays(30), true),
            new Topic(MODEL_REGISTERED, ModelRegistered.class, "modelName", 3, Duration.ofDays(30), false),
            new Topic(MODEL_PROMOTED, ModelPromoted.class, "modelName", 3, Duration.ofDays(30), true),
            new Topic(TASK_REVISIONS, TaskRevised.class, "name", 3, Duration.ofDays(30), true));

    private Topics() {
    }

    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }

    public static Optional<Topic> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Every topic name the platform uses, dead-letter topics included. */
    public static List<String> allNames() {
        List<String> names = new ArrayList<>();
        for (Topic t : ALL) {
            names.add(t.name());
            if (t.consumed()) {
                names.add(t.dlq());
            }
        }
        return names;
    }
}
