package dev.finetune.contracts.storage;

import java.util.List;

/** The buckets the platform keeps its artifacts in; each is owned by one service. */
public final class Buckets {

    /** Dataset versions and their splits, owned by dataset-service. */
    public static final String DATASETS = "datasets";
    /** Base models, checkpoints and fine-tuned models, owned by trainer-service. */
    public static final String MODELS = "models";
    /** Evaluation reports, owned by evaluator-service. */
    public static final String EVALUATIONS = "evaluations";

    public static final List<String> ALL = List.of(DATASETS, MODELS, EVALUATIONS);

    private Buckets() {
    }
}
