package dev.finetune.contracts.tasks;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.TrainingMethod;
import java.util.List;
import java.util.Map;

/**
 * One fine-tuning task as its file states it (see {@code schemas/task.schema.json}): what to learn from which data,
 * the prompt the base model is tried with first, the model and method, the variants to compare, the metrics and
 * the gate a version must pass, automatic retraining and limits. Read and checked by {@link TaskSpecs}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(String name, String description, TaskType task, List<String> labels, DatasetSpec dataset,
                       PromptSpec prompt, String baseModel, TrainingMethod method, Hyperparameters hyperparameters,
                       List<Variant> variants, List<String> metrics, GateSpec gate, RetrainingSpec retraining,
                       Limits limits) {

    /** The dataset version {@code latest} names: the newest one when a run starts. */
    public static final String LATEST = "latest";
    /** The variant name of a task's base settings when it lists no variants. */
    public static final String BASE_VARIANT = "base";

    /** The data: a dataset of dataset-service, a version of it (or {@value #LATEST}), fields and split ratios. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetSpec(String name, String version, Map<String, String> fields, Double validationRatio,
                              Double testRatio) {

        public String versionOrLatest() {
            return version == null ? LATEST : version;
        }
    }

    /** The prompt-only baseline: the template, and how many solved examples precede it (few-shot). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PromptSpec(String template, Integer shots) {
    }

    /** An alternative to the base settings: any of base model, method and hyperparameters changed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Variant(String name, String baseModel, TrainingMethod method, Hyperparameters hyperparameters) {
    }

    /** The promotion gate: the metric, the gains needed, and the stage a passing version goes to. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GateSpec(String metric, Double minGainOverBaseline, Double minGainOverProduction,
                           String targetStage) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RetrainingSpec(Boolean enabled, Integer minNewExamples, String minInterval) {
    }

    /** How many of the task's jobs may be queued or training at once, and ever. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(Integer maxConcurrentRuns, Integer maxTotalRuns) {

        public static final int DEFAULT_CONCURRENT = 4;
        public static final int DEFAULT_TOTAL = 100;

        public int concurrent() {
            return maxConcurrentRuns == null ? DEFAULT_CONCURRENT : maxConcurrentRuns;
        }

        public int total() {
            return maxTotalRuns == null ? DEFAULT_TOTAL : maxTotalRuns;
        }
    }

    /** One job's settings: a variant's, or the task's own when it lists none. */
    public record Run(String variant, String baseModel, TrainingMethod method, Hyperparameters hyperparameters) {
    }

    public Limits limitsOrDefaults() {
        return limits == null ? new Limits(null, null) : limits;
    }
}
