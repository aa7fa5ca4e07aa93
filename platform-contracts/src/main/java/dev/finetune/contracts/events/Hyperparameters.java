package dev.finetune.contracts.events;

import java.util.List;

/**
 * Training settings of one job. Every field is optional on the wire; {@link #withDefaults()} fills what is
 * missing from {@link #DEFAULTS}, so requests written by hand stay short.
 *
 * @param epochs             passes over the training split
 * @param maxSteps           optional cap on optimizer steps (handy for smoke runs)
 * @param batchSize          sequences per optimizer step
 * @param sequenceLength     tokens per sequence (the context length trained on)
 * @param learningRate       peak learning rate after warm-up
 * @param warmupSteps        linear warm-up steps before cosine decay
 * @param weightDecay        AdamW decoupled weight decay
 * @param seed               seed for initialisation, shuffling and dropout
 * @param progressEverySteps a {@code TrainingProgress} event (and a validation) every this many steps
 * @param gradientAccumulation micro-batches per optimizer step; must divide batchSize
 * @param lrSchedule         decay after warm-up: {@code cosine} or {@code linear}
 * @param earlyStoppingPatience stop after this many validations without improvement, keeping the best weights
 * @param checkpointEverySteps save a resumable training state to object storage every this many steps
 * @param lora               adapter settings when the method is LORA
 * @param promptTemplate     layout of the examples: {@code human-assistant}, {@code chatml}, {@code llama2},
 *                           {@code llama3}, {@code zephyr}, with any method; missing: an INSTRUCTION job uses the base
 *                           model's chat template style (human-assistant when it has none), others the plain formats
 */
public record Hyperparameters(
        Integer epochs,
        Integer maxSteps,
        Integer batchSize,
        Integer sequenceLength,
        Double learningRate,
        Integer warmupSteps,
        Double weightDecay,
        Long seed,
        Integer progressEverySteps,
        Integer gradientAccumulation,
        String lrSchedule,
        Integer earlyStoppingPatience,
        Integer checkpointEverySteps,
        LoraSettings lora,
        String promptTemplate) {

    public static final List<String> LR_SCHEDULES = List.of("cosine", "linear");
    public static final List<String> PROMPT_TEMPLATES = List.of("human-assistant", "chatml", "llama2", "llama3", "zephyr");
    public static final Hyperparameters DEFAULTS = new Hyperparameters(3, null, 16, 64, 3e-3, 10, 0.01, 42L, 10);

    /** The basic settings; the optional ones (accumulation, schedule, early stopping, checkpoints, LoRA) unset. */
    public Hyperparameters(Integer epochs, Integer maxSteps, Integer batchSize, Integer sequenceLength,
            Double learningRate, Integer warmupSteps, Double weightDecay, Long seed, Integer progressEverySteps) {
        this(epochs, maxSteps, batchSize, sequenceLength, learningRate, warmupSteps, weightDecay, seed,
                progressEverySteps, null, null, null, null, null, null);
    }

    /** A copy with every missing field taken from {@link #DEFAULTS}. */
    public Hyperparameters withDefaults() {
        Hyperparameters d = DEFAULTS;
        return new Hyperparameters(
                epochs != null ? epochs : d.epochs,
                maxSteps,
                batchSize != null ? batchSize : d.batchSize,
                sequenceLength != null ? sequenceLength : d.sequenceLength,
                learningRate != null ? learningRate : d.learningRate,
                warmupSteps != null ? warmupSteps : d.warmupSteps,
                weightDecay != null ? weightDecay : d.weightDecay,
                seed != null ? seed : d.seed,
                progressEverySteps != null ? progressEverySteps : d.progressEverySteps,
                gradientAccumulation != null ? gradientAccumulation : 1,
                lrSchedule != null ? lrSchedule : "cosine",
                earlyStoppingPatience,
                checkpointEverySteps,
                lora != null ? lora.withDefaults() : LoraSettings.DEFAULTS,
                promptTemplate);
    }

    public List<String> problems() {
        return new Problems()
                .check(epochs == null || (epochs >= 1 && epochs <= 1000), "epochs", "must be between 1 and 1000")
                .check(maxSteps == null || maxSteps >= 1, "maxSteps", "must be at least 1 when given")
                .check(batchSize == null || (batchSize >= 1 && batchSize <= 4096), "batchSize", "must be between 1 and 4096")
                .check(sequenceLength == null || (sequenceLength >= 8 && sequenceLength <= 32768), "sequenceLength",
                        "must be between 8 and 32768")
                .check(learningRate == null || (learningRate > 0 && learningRate < 1), "learningRate",
                        "must be greater than 0 and less than 1")
                .check(warmupSteps == null || warmupSteps >= 0, "warmupSteps", "must not be negative")
                .check(weightDecay == null || (weightDecay >= 0 && weightDecay < 1), "weightDecay",
                        "must be at least 0 and less than 1")
                .check(progressEverySteps == null || progressEverySteps >= 1, "progressEverySteps", "must be at least 1")
                .check(gradientAccumulation == null || (gradientAccumulation >= 1 && gradientAccumulation <= 1024),
                        "gradientAccumulation", "must be between 1 and 1024")
                .check(gradientAccumulation == null || batchSize == null || batchSize % gradientAccumulation == 0,
                        "gradientAccumulation", "must divide batchSize")
                .check(lrSchedule == null || LR_SCHEDULES.contains(lrSchedule), "lrSchedule",
                        "must be one of " + LR_SCHEDULES)
                .check(earlyStoppingPatience == null || earlyStoppingPatience >= 1, "earlyStoppingPatience",
                        "must be at least 1")
                .check(checkpointEverySteps == null || checkpointEverySteps >= 1, "checkpointEverySteps",
                        "must be at least 1")
                .check(promptTemplate == null || PROMPT_TEMPLATES.contains(promptTemplate), "promptTemplate",
                        "must be one of " + PROMPT_TEMPLATES)
                .nested("lora", lora == null ? List.of() : lora.problems())
                .toList();
    }
}
